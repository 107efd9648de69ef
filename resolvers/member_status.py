"""A user's standing at a shop at an instant: member status (SPEC §3 relationship quality,
§6 member statuses) and fan status."""

from __future__ import annotations

from enum import StrEnum

from vocabulary import ACTIVITY_TYPES_SQL


class MemberStatus(StrEnum):
    """Status of a member at an instant E: quality, else potential, else dormant."""

    QUALITY = "QUALITY"
    POTENTIAL = "POTENTIAL"
    DORMANT = "DORMANT"


def member_status_sql(shop: str, user: str, at: str) -> str:
    """A SQL expression: the status ('QUALITY', 'POTENTIAL', 'DORMANT') of ``user`` at
    ``shop`` at the instant ``at``, null when not a member then.

    The three arguments are SQL expressions written in code (placeholders such as
    ``$1::text`` or column references), never input. A member at E is on a stint with
    ``joined_at < E`` and no ``left_at`` or ``left_at >= E``; quality: an order in the 365
    days ending at E; potential: not quality, an activity event in the 90 days ending at E.
    """
    return f"""CASE
    WHEN NOT EXISTS (
        SELECT 1 FROM members ms
        WHERE ms.shop_id = {shop} AND ms.user_id = {user}
          AND ms.joined_at < {at} AND (ms.left_at IS NULL OR ms.left_at >= {at})
    ) THEN NULL
    WHEN EXISTS (
        SELECT 1 FROM orders os
        WHERE os.shop_id = {shop} AND os.user_id = {user}
          AND os.paid_at >= {at} - interval '365 days' AND os.paid_at < {at}
    ) THEN 'QUALITY'
    WHEN EXISTS (
        SELECT 1 FROM events es
        WHERE es.shop_id = {shop} AND es.user_id = {user}
          AND es.type IN ({ACTIVITY_TYPES_SQL})
          AND es.occurred_at >= {at} - interval '90 days' AND es.occurred_at < {at}
    ) THEN 'POTENTIAL'
    ELSE 'DORMANT'
END"""  # noqa: S608 (fixed expressions from code)


def is_fan_sql(*, shop: str, user: str, at: str) -> str:
    """A boolean SQL expression: ``user`` follows the shop at the instant ``at``."""
    return f"""EXISTS (
    SELECT 1
    FROM fans AS f
    WHERE f.shop_id = {shop}
      AND f.user_id = {user}
      AND f.followed_at < {at}
      AND (f.unfollowed_at IS NULL OR f.unfollowed_at >= {at})
)"""  # noqa: S608 (fixed expressions from code)
