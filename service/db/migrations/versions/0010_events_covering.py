"""The events of a shop in a span, read by index only: ``events_shop_occurred`` carries the
columns the event fact statement reads.

A window's events are one range of the index by (shop, instant), but in the table they lie
where they were loaded, often one page each; with the columns in the index the statement
reads only the range (an index-only scan of pages the last vacuum saw all visible).
Measured on the benchmark dataset: the events statement over one peer group's 70 windows
in 261 ms against 512 ms, over one industry's 480 windows in 2.6 s against 4.9 s; the
index grows from 902 MB to 2,348 MB (built in 115 s).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = ["user_id", "type", "carrier", "entry", "product_id"]


def upgrade() -> None:
    op.drop_index("events_shop_occurred", table_name="events")
    op.create_index(
        "events_shop_occurred",
        "events",
        ["shop_id", "occurred_at"],
        unique=False,
        postgresql_include=COVERED,
    )


def downgrade() -> None:
    op.drop_index("events_shop_occurred", table_name="events")
    op.create_index("events_shop_occurred", "events", ["shop_id", "occurred_at"], unique=False)
