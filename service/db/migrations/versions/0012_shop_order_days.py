"""Shop order days: a shop's order days of one business day in one row, kept from the
order days by triggers on them.

A row per (shop, business day) holds the day's additive order measures summed over its
buyers, the count of buyers whose first order day at the shop it is, and, for each chain
of the order days (any order, by a member, with a benefit, on a product card), the
buyers' previous days of that kind sorted ascending (no previous day: ``-infinity``). A
run of whole days S … E−1 then counts the buyers of a kind without reading a row per
buyer: those on their first day of the kind in the run are the elements before S of each
day's array (``width_bucket``, a binary search), summed over the run's days
(``resolvers/engine/shop_order_days_sql.py``).

The triggers on ``order_days`` rebuild every (shop, day) a statement's old or new rows
fall on, from the order days of that shop and day, in the statement's transaction.
``memberlens migrate`` builds them after the order days and marks them ready in the
order days' zone; emptying the order days empties them and stops keeping them until the
next build.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (array column, chain column of order_days, the rows it holds)
CHAINS = (
    ("prev_days", "prev_day", "true"),
    ("multi_prev_days", "prev_day", "orders >= 2"),
    ("single_prev_days", "prev_day", "prev_single"),
    ("single_prev2_days", "prev2_day", "prev_single"),
    ("member_prev_days", "member_prev_day", "member_orders > 0"),
    ("member_multi_prev_days", "member_prev_day", "member_orders >= 2"),
    ("member_single_prev_days", "member_prev_day", "member_orders > 0 AND member_prev_single"),
    ("member_single_prev2_days", "member_prev2_day", "member_orders > 0 AND member_prev_single"),
    ("benefit_prev_days", "benefit_prev_day", "benefit_orders > 0"),
    ("card_prev_days", "card_prev_day", "card_orders > 0"),
)

SUMS = (
    ("orders", sa.Integer()),
    ("gmv", sa.Numeric()),
    ("refunds", sa.Numeric()),
    ("member_orders", sa.Integer()),
    ("member_gmv", sa.Numeric()),
    ("fan_gmv", sa.Numeric()),
    ("card_gmv", sa.Numeric()),
)


def _arrays() -> str:
    return ",\n".join(
        f"        coalesce(array_agg(coalesce({chain}, '-infinity') "
        f"ORDER BY coalesce({chain}, '-infinity')) FILTER (WHERE {rows}), '{{}}')"
        for _, chain, rows in CHAINS
    )


def _sums() -> str:
    return ",\n".join(f"        sum({name})" for name, _ in SUMS)


# The cells (p_shops[i], p_days[i]) again from their order days.
REFRESH_FUNCTION_SQL = f"""
CREATE FUNCTION refresh_shop_order_days(p_shops text[], p_days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT zone INTO day_zone FROM shop_order_days_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM shop_order_days t
    USING unnest(p_shops, p_days) AS c(shop_id, day)
    WHERE t.shop_id = c.shop_id AND t.day = c.day;
    INSERT INTO shop_order_days
    SELECT
        d.shop_id,
        d.day,
{_sums()},
        count(*) FILTER (WHERE prev_day IS NULL),
{_arrays()}
    FROM (SELECT DISTINCT shop_id, day FROM unnest(p_shops, p_days) AS c(shop_id, day)) AS c
    JOIN order_days d ON d.shop_id = c.shop_id AND d.day = c.day
    GROUP BY d.shop_id, d.day
    ORDER BY d.shop_id, d.day;
END
$$
"""  # noqa: S608 (names from code)

READY_FUNCTION_SQL = """
CREATE FUNCTION shop_order_days_ready(p_zone text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM shop_order_days_state WHERE ready AND zone = p_zone) THEN
        RAISE EXCEPTION 'the shop order days are being rebuilt'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN true;
END
$$
"""

# The cells of the rows a statement removed and of those it wrote.
CHANGE_FUNCTION_SQL = """
CREATE FUNCTION shop_order_days_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refresh_shop_order_days(array_agg(shop_id), array_agg(day))
        FROM (SELECT DISTINCT shop_id, day FROM new_rows) AS changed
        HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM refresh_shop_order_days(array_agg(shop_id), array_agg(day))
        FROM (
            SELECT shop_id, day FROM old_rows
            UNION
            SELECT shop_id, day FROM new_rows
        ) AS changed
        HAVING count(*) > 0;
    ELSE
        PERFORM refresh_shop_order_days(array_agg(shop_id), array_agg(day))
        FROM (SELECT DISTINCT shop_id, day FROM old_rows) AS changed
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$
"""

# Emptied order days (a rebuild starting): emptied, and not kept until the next build.
TRUNCATE_FUNCTION_SQL = """
CREATE FUNCTION shop_order_days_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shop_order_days_state SET zone = NULL, ready = false;
    TRUNCATE shop_order_days;
    RETURN NULL;
END
$$
"""

TRANSITIONS = {
    "insert": "INSERT ON order_days REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON order_days REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON order_days REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.create_table(
        "shop_order_days",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, kind, nullable=False) for name, kind in SUMS),
        sa.Column("first_buyers", sa.Integer(), nullable=False),
        *(sa.Column(name, ARRAY(sa.Date()), nullable=False) for name, _, _ in CHAINS),
        sa.PrimaryKeyConstraint("shop_id", "day"),
    )
    op.create_table(
        "shop_order_days_state",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute(
        "INSERT INTO shop_order_days_state (singleton, zone, ready) VALUES (true, NULL, false)"
    )
    for sql in (
        REFRESH_FUNCTION_SQL,
        READY_FUNCTION_SQL,
        CHANGE_FUNCTION_SQL,
        TRUNCATE_FUNCTION_SQL,
    ):
        op.execute(sql)
    for event, transition in TRANSITIONS.items():
        op.execute(
            f"CREATE TRIGGER order_days_shop_days_{event} AFTER {transition} "
            "FOR EACH STATEMENT EXECUTE FUNCTION shop_order_days_after_change()"
        )
    op.execute(
        "CREATE TRIGGER order_days_shop_days_truncate AFTER TRUNCATE ON order_days "
        "FOR EACH STATEMENT EXECUTE FUNCTION shop_order_days_after_truncate()"
    )


def downgrade() -> None:
    for event in (*TRANSITIONS, "truncate"):
        op.execute(f"DROP TRIGGER order_days_shop_days_{event} ON order_days")
    op.execute("DROP FUNCTION shop_order_days_after_truncate()")
    op.execute("DROP FUNCTION shop_order_days_after_change()")
    op.execute("DROP FUNCTION shop_order_days_ready(text)")
    op.execute("DROP FUNCTION refresh_shop_order_days(text[], date[])")
    op.drop_table("shop_order_days_state")
    op.drop_table("shop_order_days")
