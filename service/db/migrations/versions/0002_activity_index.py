"""Partial index for activity lookups.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVITY = "'shop_visit', 'live_watch', 'video_watch', 'benefit_claim', 'points_interaction'"


def upgrade() -> None:
    op.create_index(
        "events_activity_shop_user_occurred",
        "events",
        ["shop_id", "user_id", "occurred_at"],
        unique=False,
        postgresql_where=sa.text(f"type IN ({ACTIVITY})"),
    )


def downgrade() -> None:
    op.drop_index("events_activity_shop_user_occurred", table_name="events")
