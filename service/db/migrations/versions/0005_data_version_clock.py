"""The data version moves with the clock, so that it never goes back.

A database restored from a backup, or a version row reset, would otherwise bring back
version numbers that a running process may have kept readings under, which it would then
serve for the restored data. Bumped to at least the current time in microseconds, the
version of any later change is above every version read before it.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOCK_BUMP_SQL = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version
    SET version = greatest(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
    RETURN NULL;
END
$$
"""

COUNTER_BUMP_SQL = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.execute(CLOCK_BUMP_SQL)
    op.execute(
        "UPDATE data_version SET version = "
        "greatest(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)"
    )


def downgrade() -> None:
    op.execute(COUNTER_BUMP_SQL)
