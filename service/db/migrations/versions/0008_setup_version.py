"""A setup version, bumped in the transaction of every statement that changes what shops
and keys set up rather than the facts: KPI targets, segments, their exports, API keys.

Whole answers are kept under the data version and this one (``service.answers``); a
committed change of either makes every process read a newer pair, so no kept answer is
served stale. It is a row of its own, not a column of ``data_version``: a KPI target set
while a load runs must not wait for the load's lock on the data version row.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETUP_TABLES = ("kpi_targets", "segments", "segment_exports", "api_keys")

# As the data version: at least the current time in microseconds, so it never goes back.
BUMP_FUNCTION_SQL = """
CREATE FUNCTION bump_setup_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE setup_version
    SET version = greatest(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "setup_version",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute(
        "INSERT INTO setup_version (singleton, version) "
        "VALUES (true, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)"
    )
    op.execute(BUMP_FUNCTION_SQL)
    for table in SETUP_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_bump_setup_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_setup_version()"
        )


def downgrade() -> None:
    for table in SETUP_TABLES:
        op.execute(f"DROP TRIGGER {table}_bump_setup_version ON {table}")
    op.execute("DROP FUNCTION bump_setup_version()")
    op.drop_table("setup_version")
