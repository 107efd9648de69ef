"""Audience export links of segments.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "segment_exports",
        sa.Column("export_id", sa.String(), nullable=False),
        sa.Column("segment_id", sa.Text(), nullable=False),
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("rule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["segment_id"], ["segments.segment_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.shop_id"]),
        sa.PrimaryKeyConstraint("export_id"),
    )
    op.create_index("segment_exports_segment", "segment_exports", ["segment_id"], unique=False)


def downgrade() -> None:
    op.drop_index("segment_exports_segment", table_name="segment_exports")
    op.drop_table("segment_exports")
