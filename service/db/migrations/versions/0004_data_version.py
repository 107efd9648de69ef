"""A data version, bumped in the transaction of every statement that changes facts.

Figures computed from the facts are kept under the version they were read at; a committed
change makes every process read a newer version, so no kept figure is served stale.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table a figure is computed from.
FACT_TABLES = (
    "shops",
    "users",
    "creators",
    "products",
    "members",
    "fans",
    "benefits",
    "campaigns",
    "orders",
    "events",
    "reach",
)

BUMP_FUNCTION_SQL = """
CREATE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute("INSERT INTO data_version (singleton, version) VALUES (true, 1)")
    op.execute(BUMP_FUNCTION_SQL)
    for table in FACT_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_bump_data_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )


def downgrade() -> None:
    for table in FACT_TABLES:
        op.execute(f"DROP TRIGGER {table}_bump_data_version ON {table}")
    op.execute("DROP FUNCTION bump_data_version()")
    op.drop_table("data_version")
