"""Peer figure sets: a metric's figures over the shops of a peer group or of an industry,
for one period and slice, kept under the data version they were computed at.

Every process and every shop of the group reads the same row instead of the group's
facts; a row is served only at the data version it holds, so a committed change of facts
retires every row at once. Rows of older versions are removed as new ones are written.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "peer_figures",
        sa.Column("industry", sa.Text(), nullable=False),
        sa.Column("tier", sa.SmallInteger(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("dimension", sa.Text(), nullable=False),
        sa.Column("slice", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("shop_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("tiers", postgresql.ARRAY(sa.SmallInteger()), nullable=False),
        sa.Column("figures", postgresql.ARRAY(sa.Numeric()), nullable=False),
        sa.CheckConstraint("tier BETWEEN 0 AND 7", name="peer_figures_tier_range"),
        sa.PrimaryKeyConstraint(
            "industry", "tier", "metric", "first_day", "last_day", "dimension", "slice"
        ),
    )


def downgrade() -> None:
    op.drop_table("peer_figures")
