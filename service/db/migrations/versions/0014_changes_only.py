"""The order days and the member activity rewrite only the rows that change.

A load touching a (shop, user) pair rebuilt all of the pair's order days and stints
(deleted, then inserted again), so the aggregates kept from them (the shop order days,
migration 0012; the member steps and recency, 0011 and 0013) redid every day of the
buyer's history and every stint of the pair, changed or not. ``refresh_order_days`` and
``refresh_member_activity`` now remove the rows whose day or stint is gone and upsert the
others, writing a row only where it differs: a buyer's new order day is one new row (the
chains of the days before it do not change), and an event that is not an activity event
leaves its member's stints as they are.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

from alembic import op

from service.db.revisions import earlier_revision, edited, replacing

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER_DAY_COLUMNS = (
    "orders",
    "gmv",
    "refunds",
    "member_orders",
    "member_gmv",
    "fan_gmv",
    "card_orders",
    "card_gmv",
    "benefit_orders",
    "prev_day",
    "prev2_day",
    "prev_single",
    "member_prev_day",
    "member_prev2_day",
    "member_prev_single",
    "benefit_prev_day",
    "card_prev_day",
)

# 0006's deletion of every row of the pairs, and the end of its insertion.
DELETE_ALL = """
    DELETE FROM order_days d
    USING unnest(p_shops, p_users) AS t(shop_id, user_id)
    WHERE d.shop_id = t.shop_id AND d.user_id = t.user_id;
    INSERT INTO order_days
"""
INSERT_END = """card AS (PARTITION BY shop_id, user_id, card_orders > 0 ORDER BY day);
END"""

# The pairs' days with no order left go; the others are upserted where they differ.
DELETE_EMPTIED = """
    DELETE FROM order_days d
    USING unnest(p_shops, p_users) AS t(shop_id, user_id)
    WHERE d.shop_id = t.shop_id
      AND d.user_id = t.user_id
      AND NOT EXISTS (
          SELECT 1
          FROM orders o
          WHERE o.shop_id = d.shop_id
            AND o.user_id = d.user_id
            AND o.paid_at >= d.day::timestamp AT TIME ZONE day_zone
            AND o.paid_at < (d.day + 1)::timestamp AT TIME ZONE day_zone
      );
    INSERT INTO order_days AS kept
"""
UPSERT_END = (
    """card AS (PARTITION BY shop_id, user_id, card_orders > 0 ORDER BY day)
    ON CONFLICT (shop_id, day, user_id) DO UPDATE SET
"""
    + ",\n".join(f"        {column} = excluded.{column}" for column in ORDER_DAY_COLUMNS)
    + """
    WHERE ("""
    + ", ".join(f"kept.{column}" for column in ORDER_DAY_COLUMNS)
    + """)
        IS DISTINCT FROM ("""
    + ", ".join(f"excluded.{column}" for column in ORDER_DAY_COLUMNS)
    + """);
END"""
)

# 0007's deletion of every stint of the pairs, and the end of its insertion.
DELETE_ALL_STINTS = """
    DELETE FROM member_activity a
    USING unnest(p_shops, p_users) AS t(shop_id, user_id)
    WHERE a.shop_id = t.shop_id AND a.user_id = t.user_id;
    INSERT INTO member_activity
"""
INSERT_STINTS_END = """JOIN members m ON m.shop_id = pairs.shop_id AND m.user_id = pairs.user_id;
END"""

# The pairs' stints gone go; the others are upserted where they differ.
DELETE_GONE_STINTS = """
    DELETE FROM member_activity a
    USING unnest(p_shops, p_users) AS t(shop_id, user_id)
    WHERE a.shop_id = t.shop_id
      AND a.user_id = t.user_id
      AND NOT EXISTS (
          SELECT 1
          FROM members m
          WHERE m.shop_id = a.shop_id AND m.user_id = a.user_id AND m.joined_at = a.joined_at
      );
    INSERT INTO member_activity AS a
"""
STINT_COLUMNS = ("left_at", "join_channel", "activity_at", "ordered_at")
UPSERT_STINTS_END = (
    """JOIN members m ON m.shop_id = pairs.shop_id AND m.user_id = pairs.user_id
    ON CONFLICT (shop_id, user_id, joined_at) DO UPDATE SET
"""
    + ",\n".join(f"        {column} = excluded.{column}" for column in STINT_COLUMNS)
    + """
    WHERE ("""
    + ", ".join(f"a.{column}" for column in STINT_COLUMNS)
    + """)
        IS DISTINCT FROM ("""
    + ", ".join(f"excluded.{column}" for column in STINT_COLUMNS)
    + """);
END"""
)


def upgrade() -> None:
    order_days = earlier_revision("0006_order_days.py")
    op.execute(
        replacing(
            edited(
                order_days.REFRESH_FUNCTION_SQL,
                (DELETE_ALL, DELETE_EMPTIED),
                (INSERT_END, UPSERT_END),
            )
        )
    )
    member_activity = earlier_revision("0007_member_activity.py")
    op.execute(
        replacing(
            edited(
                member_activity.REFRESH_FUNCTION_SQL,
                (DELETE_ALL_STINTS, DELETE_GONE_STINTS),
                (INSERT_STINTS_END, UPSERT_STINTS_END),
            )
        )
    )


def downgrade() -> None:
    op.execute(replacing(earlier_revision("0006_order_days.py").REFRESH_FUNCTION_SQL))
    op.execute(replacing(earlier_revision("0007_member_activity.py").REFRESH_FUNCTION_SQL))
