"""Peer figure sets by industry and version: a writer removes its industry's sets of older
versions through the index, reading none of the sets kept at the current version (every
first reading of a period writes, and at a steady data version nothing is older).

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("peer_figures_industry_version", "peer_figures", ["industry", "version"])


def downgrade() -> None:
    op.drop_index("peer_figures_industry_version", table_name="peer_figures")
