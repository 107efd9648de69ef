"""Peer figure sets shared by processes: the screen of a group's other shops in a second
server process, after one shop's screen in the first, against the same with nothing kept.

    python bench/shared_peers.py --url http://127.0.0.1:8300 --second-url http://127.0.0.1:8302 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench

Two servers on the same database (two processes: they share nothing but the database).
The median shop by orders (``--shop`` for another) and ``--others`` (5) other shops of its
peer group (same industry and tier), over the ``--days`` days (30) ending on the last day
of data, the screen ``--screen`` of docs/queries.md (the member dashboard). Each of
``--runs`` rounds (3):

1. *first shop*: a new data version, then the shop's screen asked of the first server
   (it reads its peers' facts and keeps the group's peer figure sets);
2. *other shops, sets kept*: each other shop's screen asked of the second server, which
   has kept nothing of this version itself;
3. *other shops, nothing kept*: each other shop's screen again at a new data version
   each, so neither process nor the database holds anything of it.

Prints each kind's p50 and the answers' agreement (2 and 3 must give the same figures).
It writes to the database only the data version and the run's key (revoked at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: ``python bench/shared_peers.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import httpx

from bench.database import required_url
from bench.load import LAST_PAID_SQL, NEW_VERSION_SQL, load_average
from bench.peer_cost import SHOPS_BY_ORDERS_SQL, timed
from bench.report import source_revision
from bench.request import screen_documents
from service.keys import create_key, revoke_key
from service.settings import Settings

GROUP_SQL = """
SELECT shop_id
FROM shops
WHERE (industry, tier) = (SELECT industry, tier FROM shops WHERE shop_id = $1)
  AND shop_id <> $1
ORDER BY shop_id
LIMIT $2
"""


async def run(args: argparse.Namespace, database_url: str) -> None:
    document = screen_documents()[args.screen]
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    key_id = None
    try:
        shops = await pool.fetch(SHOPS_BY_ORDERS_SQL)
        shop = args.shop or shops[len(shops) // 2]["shop_id"]
        others = [row["shop_id"] for row in await pool.fetch(GROUP_SQL, shop, args.others)]
        last_paid = await pool.fetchval(LAST_PAID_SQL)
        last = args.to or last_paid.astimezone(Settings().zone).date()
        period = {"from": str(last - timedelta(days=args.days - 1)), "to": str(last)}
        key, secret = await create_key(pool, scope="admin", shops=None, name="bench peers")
        key_id = key.key_id
        print(f"source {source_revision()}; servers {args.url} and {args.second_url}")
        print(
            f"{args.screen}, period {period['from']} .. {period['to']}; shop {shop}, "
            f"others {', '.join(others)}; {args.runs} rounds"
        )
        print(f"load average before: {load_average()}")
        times: dict[str, list[float]] = {"warm": [], "first": [], "kept": [], "nothing": []}
        answers: dict[str, dict[str, object]] = {"kept": {}, "nothing": {}}
        async with httpx.AsyncClient(timeout=args.timeout) as http:

            async def ask(url: str, asked: str, kind: str) -> None:
                variables = {"shop": asked, "period": period}
                milliseconds, body, _ = await timed(http, url, secret, document, variables)
                times[kind].append(milliseconds)
                if kind in answers:
                    answers[kind][asked] = body["data"]

            for url in (args.url, args.second_url):  # warm both servers' connections
                await ask(url, shop, "warm")
            times.pop("warm")
            for _ in range(args.runs):
                await pool.fetchval(NEW_VERSION_SQL)
                await ask(args.url, shop, "first")
                for other in others:
                    await ask(args.second_url, other, "kept")
                for other in others:
                    await pool.fetchval(NEW_VERSION_SQL)
                    await ask(args.second_url, other, "nothing")
        labels = {
            "first": "first shop (reads its peers, keeps the sets)",
            "kept": "other shops, sets kept by the other process",
            "nothing": "other shops, nothing kept",
        }
        for kind, label in labels.items():
            values = times[kind]
            print(
                f"  {label:<46} p50 {statistics.median(values):7.0f} ms  "
                f"min {min(values):6.0f}  max {max(values):6.0f} ms  ({len(values)} requests)"
            )
        same = answers["kept"] == answers["nothing"]
        print(f"  answers with and without the kept sets {'alike' if same else 'DIFFER'}")
        print(f"load average after: {load_average()}")
    finally:
        if key_id is not None:
            await revoke_key(pool, key_id=key_id)
        await pool.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the first server")
    parser.add_argument("--second-url", default="http://127.0.0.1:8001", help="the second one")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: DATABASE_URL)")
    parser.add_argument("--screen", default="MemberDashboard", help="operation of docs/queries.md")
    parser.add_argument("--shop", help="the first shop (default: the median by orders)")
    parser.add_argument("--others", type=int, default=5, help="other shops of its group (5)")
    parser.add_argument("--runs", type=int, default=3, help="rounds (3)")
    parser.add_argument("--days", type=int, default=30, help="days in the period (30)")
    parser.add_argument(
        "--to", type=date.fromisoformat, help="last day (default: the latest order's)"
    )
    parser.add_argument("--timeout", type=float, default=60, help="client timeout, s (60)")
    args = parser.parse_args(argv)
    asyncio.run(run(args, required_url(args.database_url)))


if __name__ == "__main__":
    main()
