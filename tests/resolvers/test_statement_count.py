"""A dashboard request runs a fixed number of statements, whatever the data or peers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import asyncpg

from tests.conftest import Caller, new_data_version

DASHBOARD = """
query D($period: PeriodInput!) {
  shop(id: "s0") {
    metrics(
      names: [
        MEMBER_COUNT, NEW_MEMBERS, NET_NEW_MEMBERS, GMV, NET_GMV, REFUND_RATE, ORDERS, BUYERS,
        AOV, MEMBER_GMV_SHARE, MEMBER_REPURCHASE_RATE, ACTIVE_MEMBER_RATE, MONTHLY_ACTIVE_RATE,
        BENEFIT_PENETRATION, BENEFIT_ONLINE_DAYS, REACH_CONVERSION_RATE, QUALITY_SHARE,
        HIGH_POTENTIAL_USERS, CARD_CTR, CARD_UV_VALUE
      ]
      period: $period
      compare: [PREVIOUS_PERIOD, SAME_PERIOD_LAST_YEAR, PEER_AVERAGE, PEER_EXCELLENT, TARGET]
    ) { metric value comparisons { kind value } }
  }
}
"""
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
SHANGHAI = timezone(timedelta(hours=8))


async def add_shops(pool: asyncpg.Pool, first: int, count: int) -> None:
    """Shops of one industry and tier, each with a member, an order and events."""
    for n in range(first, first + count):
        shop, user, product = f"s{n}", f"u{n}", f"p{n}"
        await pool.execute("INSERT INTO shops VALUES ($1, $1, 'pets', 2, NULL)", shop)
        await pool.execute("INSERT INTO users (user_id) VALUES ($1)", user)
        await pool.execute(
            "INSERT INTO products VALUES ($1, $2, 'toy', 'toys', 9.90, NULL)", product, shop
        )
        await pool.execute(
            "INSERT INTO members VALUES ($1, $2, '2026-02-01 10:00+08', 'live', NULL)", shop, user
        )
        for day in range(1, 29):
            await pool.execute(
                """INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount,
                       paid_at, carrier, traffic_type)
                   VALUES ($1, $2, $3, $4, 1, 9.90, $5, 'live', 'organic')""",
                f"o{n}-{day}",
                shop,
                user,
                product,
                datetime(2026, 3, day, 12, tzinfo=SHANGHAI),
            )
            await pool.execute(
                "INSERT INTO events VALUES ($1, $2, $3, 'shop_visit', $4)",
                f"e{n}-{day}",
                shop,
                user,
                datetime(2026, 3, day, 11, tzinfo=SHANGHAI),
            )


async def statements_for(me: Caller, pool: asyncpg.Pool) -> int:
    """The statements of the dashboard at a new data version (nothing read is kept yet)."""
    await new_data_version(pool)
    response = await me.post(DASHBOARD, period=PERIOD)
    assert "errors" not in response.json(), response.json()
    return int(response.headers["x-sql-statements"])


async def test_statement_count_does_not_grow_with_peers_or_rows(
    caller: Any, db: asyncpg.Pool
) -> None:
    await add_shops(db, 0, 2)
    me: Caller = await caller("read", ("s0",))
    await statements_for(me, db)  # a new connection first looks up the types it meets
    few = await statements_for(me, db)
    await add_shops(db, 2, 12)
    many = await statements_for(me, db)
    # key lookup, shop, versions, KPI targets, the kept peer sets (none yet), industry
    # peers, one statement per fact family (5), the peer sets pruned and kept
    assert few == many == 13


async def test_a_repeated_request_reads_only_what_changes(caller: Any, db: asyncpg.Pool) -> None:
    await add_shops(db, 0, 6)
    me: Caller = await caller("read", ("s0",))
    first = await me.post(DASHBOARD, period=PERIOD)
    again = await me.post(DASHBOARD, period=PERIOD)
    assert again.json() == first.json()
    # key lookup and the versions: the whole answer is kept from the first request
    assert int(again.headers["x-sql-statements"]) == 2
    # The same fields in another document: key lookup, shop, versions, industry peers and
    # KPI targets; the facts of every window are kept from the first request.
    other = await me.post(
        DASHBOARD.replace("value comparisons", "value  comparisons"), period=PERIOD
    )
    assert other.json() == first.json()
    assert int(other.headers["x-sql-statements"]) == 5


CHANNELS = """
query C($period: PeriodInput!, $kind: ChannelKind!, $names: [Metric!]!) {
  shop(id: "s0") {
    channels(kind: $kind) {
      code
      metrics(names: $names, period: $period, compare: [PREVIOUS_PERIOD, PEER_AVERAGE]) {
        metric value comparisons { kind value }
      }
    }
  }
}
"""


async def test_a_screen_of_channels_runs_the_statements_of_one_field(
    caller: Any, db: asyncpg.Pool
) -> None:
    await add_shops(db, 0, 6)
    me: Caller = await caller("read", ("s0",))

    async def count(kind: str, names: list[str]) -> int:
        await new_data_version(db)
        response = await me.post(CHANNELS, period=PERIOD, kind=kind, names=names)
        body = response.json()
        assert "errors" not in body, body
        assert len(body["data"]["shop"]["channels"]) == {"CARRIER": 3, "JOIN_CHANNEL": 8}[kind]
        return int(response.headers["x-sql-statements"])

    await count("CARRIER", ["GMV"])  # a new connection first looks up the types it meets
    # key lookup, shop, data version, industry peers, one statement for the family: 3 or 8
    # channels alike
    assert await count("CARRIER", ["GMV", "ORDERS"]) == 5
    assert await count("JOIN_CHANNEL", ["MEMBER_COUNT", "NEW_MEMBERS"]) == 5
