"""Order slice days: the order days of each value of an order's own dimension (today the
product-card entry), and one row per (shop, dimension, value, day) of them, kept by
triggers.

``order_slice_days`` holds a row per (shop, dimension, value, business day, buyer) with
the columns of ``order_days`` computed over the buyer's orders of that value only: the
day's measures and each chain (any order, by a member, with a benefit, on a product card)
over the buyer's days with orders of that value. One more column decides repeat and
first-order users, whose earlier order may be of any value: ``returning_day``, the
previous day of the value or, on the buyer's first day of the value, their first order
day at the shop when it is earlier (null: no order before the day). A buyer counted in a
run S … E−1 (previous day of the value before S) had an order before S exactly when it
lies before S.

``ENTRY`` holds the product-card orders by their entry (``unknown`` when it is missing),
as the raw statement slices them; another dimension is one more row of the ``VALUES``
that names each order's values.

``shop_order_slice_days`` sums a (shop, dimension, day, value)'s measures and sorts each
chain into an array, as the shop order days do (migration 0012), with ``returning_days``
in place of the count of first buyers (``resolvers/engine/shop_order_days_sql.py``).

The triggers recompute every (shop, buyer) pair a statement on ``orders``, ``members`` or
``fans`` touches (the member and fan flags are decided per order, as for the order days),
writing only the rows that change; the triggers on ``order_slice_days`` rebuild the
(shop, dimension, day, value) rows of the rows changed. Both are kept in the zone of
``order_slice_days_state``, set by ``memberlens migrate`` after the order days are built;
emptying the order days (a rebuild starting) stops keeping them until the next build.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from service.db.revisions import earlier_revision

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SHOP_ORDER_DAYS = earlier_revision("0012_shop_order_days.py")
_CHANGES_ONLY = earlier_revision("0014_changes_only.py")
_EVENT_DAYS = earlier_revision("0017_event_days.py")

COLUMNS = (*_CHANGES_ONLY.ORDER_DAY_COLUMNS, "returning_day")
KEY = ("shop_id", "dimension", "slice_key", "day", "user_id")

# Each order's values, one per dimension (null: the order has none).
VALUES = """(
            VALUES ('ENTRY', CASE WHEN o.carrier = 'product_card'
                THEN coalesce(o.entry, 'unknown') END)
        )"""


# Rows again from the orders in the zone of order_slice_days_state (none while it is
# unset), the rows gone deleted and the others written where they differ, as the event
# days are (migration 0017): set differences, no join over the statement's own sets, every
# table read by index.
def _rows_function(header: str, scope: str, orders: str, stored: str) -> str:
    """A function (``header``) writing the order slice days of ``scope`` (a CTE) from the
    ``orders`` (alias o) in place of those ``stored`` reads (alias k). Names come from
    code."""
    chain = "PARTITION BY shop_id, user_id, dimension, slice_key"
    return f"""
{header}
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT zone INTO day_zone FROM order_slice_days_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN;
    END IF;
    WITH {scope},
    pair_orders AS MATERIALIZED (
        SELECT
            o.shop_id,
            o.user_id,
            o.paid_at,
            o.amount,
            coalesce(o.refund_amount, 0) AS refund,
            o.carrier,
            o.entry,
            o.benefit_id,
            min(o.paid_at) OVER (PARTITION BY o.shop_id, o.user_id) AS first_at
        {orders}
    ),
    -- each order in the slice of each of its values, its member and fan flags looked up
    facts AS (
        SELECT
            o.shop_id,
            o.user_id,
            k.dimension,
            k.slice_key,
            (o.paid_at AT TIME ZONE day_zone)::date AS day,
            (o.first_at AT TIME ZONE day_zone)::date AS first_day,
            o.amount,
            o.refund,
            o.carrier = 'product_card' AS card,
            o.benefit_id IS NOT NULL AS with_benefit,
            EXISTS (
                SELECT 1
                FROM members m
                WHERE m.shop_id = o.shop_id
                  AND m.user_id = o.user_id
                  AND m.joined_at <= o.paid_at
                  AND (m.left_at IS NULL OR m.left_at > o.paid_at)
            ) AS by_member,
            EXISTS (
                SELECT 1
                FROM fans f
                WHERE f.shop_id = o.shop_id
                  AND f.user_id = o.user_id
                  AND f.followed_at <= o.paid_at
                  AND (f.unfollowed_at IS NULL OR f.unfollowed_at > o.paid_at)
            ) AS by_fan
        FROM pair_orders o
        CROSS JOIN LATERAL {VALUES} AS k(dimension, slice_key)
        WHERE k.slice_key IS NOT NULL
    ),
    days AS (
        SELECT
            shop_id,
            user_id,
            dimension,
            slice_key,
            day,
            min(first_day) AS first_day,
            count(*)::int AS orders,
            sum(amount) AS gmv,
            sum(refund) AS refunds,
            (count(*) FILTER (WHERE by_member))::int AS member_orders,
            coalesce(sum(amount) FILTER (WHERE by_member), 0) AS member_gmv,
            coalesce(sum(amount) FILTER (WHERE by_fan), 0) AS fan_gmv,
            (count(*) FILTER (WHERE card))::int AS card_orders,
            coalesce(sum(amount) FILTER (WHERE card), 0) AS card_gmv,
            (count(*) FILTER (WHERE by_member AND with_benefit))::int AS benefit_orders
        FROM facts
        GROUP BY shop_id, user_id, dimension, slice_key, day
    ),
    -- each chain over the buyer's days of the value with its kind of order, as in the
    -- order days
    fresh AS (
        SELECT
            shop_id,
            dimension,
            slice_key,
            day,
            user_id,
            orders,
            gmv,
            refunds,
            member_orders,
            member_gmv,
            fan_gmv,
            card_orders,
            card_gmv,
            benefit_orders,
            lag(day) OVER buyer AS prev_day,
            lag(day, 2) OVER buyer AS prev2_day,
            lag(orders) OVER buyer = 1 AS prev_single,
            CASE WHEN member_orders > 0 THEN lag(day) OVER member END AS member_prev_day,
            CASE WHEN member_orders > 0 THEN lag(day, 2) OVER member END AS member_prev2_day,
            CASE WHEN member_orders > 0 THEN lag(member_orders) OVER member = 1 END
                AS member_prev_single,
            CASE WHEN benefit_orders > 0 THEN lag(day) OVER benefit END AS benefit_prev_day,
            CASE WHEN card_orders > 0 THEN lag(day) OVER card END AS card_prev_day,
            coalesce(
                lag(day) OVER buyer,
                CASE WHEN first_day < day THEN first_day END
            ) AS returning_day
        FROM days
        WINDOW
            buyer AS ({chain} ORDER BY day),
            member AS ({chain}, member_orders > 0 ORDER BY day),
            benefit AS ({chain}, benefit_orders > 0 ORDER BY day),
            card AS ({chain}, card_orders > 0 ORDER BY day)
    ),
{_EVENT_DAYS._write_difference("order_slice_days", KEY, COLUMNS, stored)}END
$$
"""  # noqa: S608 (names from code)


REFRESH_FUNCTION_SQL = _rows_function(
    "CREATE FUNCTION refresh_order_slice_days(p_shops text[], p_users text[]) RETURNS void "
    "SET enable_seqscan = off",
    """pairs AS (
        SELECT DISTINCT shop_id, user_id
        FROM unnest(p_shops, p_users) AS t(shop_id, user_id)
    )""",
    """FROM pairs
        JOIN orders o ON o.shop_id = pairs.shop_id AND o.user_id = pairs.user_id""",
    """FROM pairs
            JOIN order_slice_days k ON k.shop_id = pairs.shop_id AND k.user_id = pairs.user_id""",
)

# The rows of whole shops, for a build: each shop's orders read by index range.
BUILD_FUNCTION_SQL = _rows_function(
    "CREATE FUNCTION build_order_slice_days(p_shops text[]) RETURNS void "
    "SET enable_seqscan = off SET work_mem = '256MB'",
    "shops AS (SELECT unnest(p_shops) AS shop_id)",
    "FROM shops JOIN orders o ON o.shop_id = shops.shop_id",
    "FROM shops JOIN order_slice_days k ON k.shop_id = shops.shop_id",
)

# (array column, its element, the rows it holds): the shop order days' chains, and the
# returning days in place of the count of first buyers
CHAINS = (
    *_SHOP_ORDER_DAYS.CHAINS,
    ("returning_days", "returning_day", "returning_day IS NOT NULL"),
)
SUMS = _SHOP_ORDER_DAYS.SUMS
CELL = ("shop_id", "dimension", "day", "slice_key")


def _arrays() -> str:
    return ",\n".join(
        f"        coalesce(array_agg(coalesce({chain}, '-infinity') "
        f"ORDER BY coalesce({chain}, '-infinity')) FILTER (WHERE {rows}), '{{}}')"
        for _, chain, rows in CHAINS
    )


# The cells (p_shops[i], p_dimensions[i], p_days[i], p_keys[i]) again from their rows,
# read by index.
REFRESH_CELLS_FUNCTION_SQL = f"""
CREATE FUNCTION refresh_shop_order_slice_days(
    p_shops text[], p_dimensions text[], p_days date[], p_keys text[]
) RETURNS void
SET enable_seqscan = off
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT zone FROM order_slice_days_state) IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM shop_order_slice_days t
    USING unnest(p_shops, p_dimensions, p_days, p_keys) AS c({", ".join(CELL)})
    WHERE {" AND ".join(f"t.{column} = c.{column}" for column in CELL)};
    INSERT INTO shop_order_slice_days
    SELECT
        {", ".join(f"d.{column}" for column in CELL)},
        {", ".join(f"sum(d.{name})" for name, _ in SUMS)},
{_arrays()}
    FROM (
        SELECT DISTINCT {", ".join(CELL)}
        FROM unnest(p_shops, p_dimensions, p_days, p_keys) AS c({", ".join(CELL)})
    ) AS c
    JOIN order_slice_days d
        ON {" AND ".join(f"d.{column} = c.{column}" for column in CELL)}
    GROUP BY {", ".join(f"d.{column}" for column in CELL)}
    ORDER BY {", ".join(f"d.{column}" for column in CELL)};
END
$$
"""  # noqa: S608 (names from code)

READY_FUNCTION_SQL = """
CREATE FUNCTION order_slice_days_ready(p_zone text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM order_slice_days_state WHERE ready AND zone = p_zone) THEN
        RAISE EXCEPTION 'the order slice days are being rebuilt'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN true;
END
$$
"""

# The pairs of the orders, stints and follows a statement changed.
PAIRS_FUNCTION_SQL = _EVENT_DAYS._after_change(
    "order_slice_days_after_change", "refresh_order_slice_days", ("shop_id", "user_id")
)

# The cells of the order slice days a statement removed and of those it wrote.
CELLS_FUNCTION_SQL = _EVENT_DAYS._after_change(
    "shop_order_slice_days_after_change", "refresh_shop_order_slice_days", CELL
)

# Truncated orders leave no rows; truncated stints or follows change every order's flags:
# every pair is recomputed. Emptied order days (a rebuild starting): emptied, and not kept
# until the next build.
TRUNCATE_FUNCTION_SQL = """
CREATE FUNCTION order_slice_days_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'orders' THEN
        TRUNCATE order_slice_days, shop_order_slice_days;
    ELSIF TG_TABLE_NAME = 'order_days' THEN
        UPDATE order_slice_days_state SET zone = NULL, ready = false;
        TRUNCATE order_slice_days, shop_order_slice_days;
    ELSE
        PERFORM refresh_order_slice_days(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM order_slice_days) AS kept
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$
"""

TRANSITIONS = _EVENT_DAYS.TRANSITIONS
SOURCE_TABLES = ("orders", "members", "fans")

# (trigger, table, event, function)
TRIGGERS = (
    *(
        (f"{table}_order_slice_days_{event}", table, event, "order_slice_days_after_change")
        for table in SOURCE_TABLES
        for event in TRANSITIONS
    ),
    *(
        (
            f"order_slice_days_shop_days_{event}",
            "order_slice_days",
            event,
            "shop_order_slice_days_after_change",
        )
        for event in TRANSITIONS
    ),
)
TRUNCATED_TABLES = (*SOURCE_TABLES, "order_days")


def _column(name: str) -> sa.Column[object]:
    """A column of the order slice days (and the key of the shop rows): the order days'
    types, a chain's days and flags null where the row has none."""
    if name == "day" or name.endswith("_day"):
        return sa.Column(name, sa.Date(), nullable=name != "day")
    if name.endswith("_single"):
        return sa.Column(name, sa.Boolean(), nullable=True)
    if name.endswith("orders"):
        return sa.Column(name, sa.Integer(), nullable=False)
    if name in KEY:
        return sa.Column(name, sa.Text(), nullable=False)
    return sa.Column(name, sa.Numeric(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "order_slice_days",
        *(_column(name) for name in KEY),
        *(_column(name) for name in COLUMNS),
        sa.PrimaryKeyConstraint(*KEY),
    )
    op.create_index("order_slice_days_shop_user", "order_slice_days", ["shop_id", "user_id"])
    # by day before value: a window's rows of every value are one index range
    op.create_table(
        "shop_order_slice_days",
        *(_column(name) for name in CELL),
        *(sa.Column(name, kind, nullable=False) for name, kind in SUMS),
        *(sa.Column(name, ARRAY(sa.Date()), nullable=False) for name, _, _ in CHAINS),
        sa.PrimaryKeyConstraint(*CELL),
    )
    op.create_table(
        "order_slice_days_state",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute(
        "INSERT INTO order_slice_days_state (singleton, zone, ready) VALUES (true, NULL, false)"
    )
    for sql in (
        REFRESH_FUNCTION_SQL,
        BUILD_FUNCTION_SQL,
        REFRESH_CELLS_FUNCTION_SQL,
        READY_FUNCTION_SQL,
        PAIRS_FUNCTION_SQL,
        CELLS_FUNCTION_SQL,
        TRUNCATE_FUNCTION_SQL,
    ):
        op.execute(sql)
    for name, table, event, function in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {TRANSITIONS[event].format(table=table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    for table in TRUNCATED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_order_slice_days_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION order_slice_days_after_truncate()"
        )


def downgrade() -> None:
    for table in TRUNCATED_TABLES:
        op.execute(f"DROP TRIGGER {table}_order_slice_days_truncate ON {table}")
    for name, table, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION order_slice_days_after_truncate()")
    op.execute("DROP FUNCTION shop_order_slice_days_after_change()")
    op.execute("DROP FUNCTION order_slice_days_after_change()")
    op.execute("DROP FUNCTION order_slice_days_ready(text)")
    op.execute("DROP FUNCTION refresh_shop_order_slice_days(text[], text[], date[], text[])")
    op.execute("DROP FUNCTION build_order_slice_days(text[])")
    op.execute("DROP FUNCTION refresh_order_slice_days(text[], text[])")
    op.drop_table("order_slice_days_state")
    op.drop_table("shop_order_slice_days")
    op.drop_index("order_slice_days_shop_user", table_name="order_slice_days")
    op.drop_table("order_slice_days")
