"""Order days: each buyer's orders at a shop summed per business day, with the buyer's
earlier order days, kept up to date by triggers on every table they depend on.

A row per (shop, business day, buyer) holds the day's additive order measures and, for
each kind of order (any, by a member, by a member with a benefit, on a product card), the
buyer's previous days with such orders. From those, the distinct buyers of any run of
whole days are sums over the run's rows (``resolvers/engine/order_days_sql.py``). The
triggers recompute every (shop, buyer) pair a statement on ``orders``, ``members`` or
``fans`` touches, in the statement's transaction, once ``order_days_state`` names the
time zone the days are in. ``memberlens migrate`` sets the zone, builds the rows of every
shop, then marks them ready; nothing reads them before.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The pairs' rows again from their orders, in the zone of order_days_state (none while
# it is unset). Each chain (prev_*) is the buyer's previous day with that kind of order.
REFRESH_FUNCTION_SQL = """
CREATE FUNCTION refresh_order_days(p_shops text[], p_users text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT zone INTO day_zone FROM order_days_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM order_days d
    USING unnest(p_shops, p_users) AS t(shop_id, user_id)
    WHERE d.shop_id = t.shop_id AND d.user_id = t.user_id;
    INSERT INTO order_days
    WITH pairs AS (
        SELECT DISTINCT shop_id, user_id
        FROM unnest(p_shops, p_users) AS t(shop_id, user_id)
    ),
    facts AS MATERIALIZED (  -- each order's member and fan lookups once
        SELECT
            o.shop_id,
            o.user_id,
            (o.paid_at AT TIME ZONE day_zone)::date AS day,
            o.amount,
            coalesce(o.refund_amount, 0) AS refund,
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
        FROM pairs
        JOIN orders o ON o.shop_id = pairs.shop_id AND o.user_id = pairs.user_id
    ),
    days AS (
        SELECT
            shop_id,
            user_id,
            day,
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
        GROUP BY shop_id, user_id, day
    )
    -- Each chain over the buyer's days of its kind: partitioned by whether the day is of
    -- that kind, and kept on those days only.
    SELECT
        shop_id,
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
        lag(day) OVER buyer,
        lag(day, 2) OVER buyer,
        lag(orders) OVER buyer = 1,
        CASE WHEN member_orders > 0 THEN lag(day) OVER member END,
        CASE WHEN member_orders > 0 THEN lag(day, 2) OVER member END,
        CASE WHEN member_orders > 0 THEN lag(member_orders) OVER member = 1 END,
        CASE WHEN benefit_orders > 0 THEN lag(day) OVER benefit END,
        CASE WHEN card_orders > 0 THEN lag(day) OVER card END
    FROM days
    WINDOW
        buyer AS (PARTITION BY shop_id, user_id ORDER BY day),
        member AS (PARTITION BY shop_id, user_id, member_orders > 0 ORDER BY day),
        benefit AS (PARTITION BY shop_id, user_id, benefit_orders > 0 ORDER BY day),
        card AS (PARTITION BY shop_id, user_id, card_orders > 0 ORDER BY day);
END
$$
"""

# Read in the same statement as the rows: a reading that started after a rebuild began
# fails (and is retried) rather than read rows being rebuilt.
READY_FUNCTION_SQL = """
CREATE FUNCTION order_days_ready(p_zone text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM order_days_state WHERE ready AND zone = p_zone) THEN
        RAISE EXCEPTION 'the order days are being rebuilt'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN true;
END
$$
"""

# One function behind every trigger: the pairs of the rows a statement changed (its
# transition tables: new rows for INSERT, old and new for UPDATE, old for DELETE).
CHANGE_FUNCTION_SQL = """
CREATE FUNCTION order_days_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refresh_order_days(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM new_rows) AS changed;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM refresh_order_days(array_agg(shop_id), array_agg(user_id))
        FROM (
            SELECT shop_id, user_id FROM old_rows
            UNION
            SELECT shop_id, user_id FROM new_rows
        ) AS changed;
    ELSE
        PERFORM refresh_order_days(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM old_rows) AS changed;
    END IF;
    RETURN NULL;
END
$$
"""

# A truncated orders table leaves no order days; truncated stints change every order's
# member or fan flag: every pair is recomputed.
TRUNCATE_FUNCTION_SQL = """
CREATE FUNCTION order_days_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'orders' THEN
        DELETE FROM order_days;
    ELSE
        PERFORM refresh_order_days(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM order_days) AS kept;
    END IF;
    RETURN NULL;
END
$$
"""

SOURCE_TABLES = ("orders", "members", "fans")

TRANSITIONS = {
    "insert": "INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.create_table(
        "order_days",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("gmv", sa.Numeric(), nullable=False),
        sa.Column("refunds", sa.Numeric(), nullable=False),
        sa.Column("member_orders", sa.Integer(), nullable=False),
        sa.Column("member_gmv", sa.Numeric(), nullable=False),
        sa.Column("fan_gmv", sa.Numeric(), nullable=False),
        sa.Column("card_orders", sa.Integer(), nullable=False),
        sa.Column("card_gmv", sa.Numeric(), nullable=False),
        sa.Column("benefit_orders", sa.Integer(), nullable=False),
        sa.Column("prev_day", sa.Date(), nullable=True),
        sa.Column("prev2_day", sa.Date(), nullable=True),
        sa.Column("prev_single", sa.Boolean(), nullable=True),
        sa.Column("member_prev_day", sa.Date(), nullable=True),
        sa.Column("member_prev2_day", sa.Date(), nullable=True),
        sa.Column("member_prev_single", sa.Boolean(), nullable=True),
        sa.Column("benefit_prev_day", sa.Date(), nullable=True),
        sa.Column("card_prev_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("shop_id", "day", "user_id"),
    )
    op.create_index("order_days_shop_user", "order_days", ["shop_id", "user_id"])
    op.create_table(
        "order_days_state",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute("INSERT INTO order_days_state (singleton, zone, ready) VALUES (true, NULL, false)")
    op.execute(REFRESH_FUNCTION_SQL)
    op.execute(READY_FUNCTION_SQL)
    op.execute(CHANGE_FUNCTION_SQL)
    op.execute(TRUNCATE_FUNCTION_SQL)
    for table in SOURCE_TABLES:
        for event, transition in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_order_days_{event} "
                f"AFTER {transition.format(table=table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION order_days_after_change()"
            )
        op.execute(
            f"CREATE TRIGGER {table}_order_days_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION order_days_after_truncate()"
        )


def downgrade() -> None:
    for table in SOURCE_TABLES:
        for event in (*TRANSITIONS, "truncate"):
            op.execute(f"DROP TRIGGER {table}_order_days_{event} ON {table}")
    op.execute("DROP FUNCTION order_days_after_truncate()")
    op.execute("DROP FUNCTION order_days_after_change()")
    op.execute("DROP FUNCTION order_days_ready(text)")
    op.execute("DROP FUNCTION refresh_order_days(text[], text[])")
    op.drop_table("order_days_state")
    op.drop_index("order_days_shop_user", table_name="order_days")
    op.drop_table("order_days")
