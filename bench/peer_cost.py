"""What the peer comparisons cost: a screen with and without them, nothing kept.

    python bench/peer_cost.py --url http://127.0.0.1:8300 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench

Against a running server, for the median and the largest shop by orders (``--shop``
times others instead): the screen of docs/queries.md (``--screen``, default the member
dashboard) as written, and the same document with the comparisons that read other shops
(``PEER_*``, ``INDUSTRY_AVERAGE``) taken out of every ``compare`` list, over the
``--days`` days (30) ending on the last day of data. Before each timed request the
database is moved to a new data version (``UPDATE data_version``, what every load does),
so the server keeps no fact reading of an earlier request: each request reads everything
it needs. ``--runs`` rounds (5), the two documents alternating which goes first; prints
each one's p50 and the ratio of the p50s, and checks that both give the shop's own
values and previous-period figures alike.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: ``python bench/peer_cost.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import httpx

from bench.database import required_url
from bench.load import LAST_PAID_SQL, NEW_VERSION_SQL, load_average
from bench.machine import Processes, print_cpu_by_process
from bench.report import source_revision
from bench.request import screen_documents, without_peers
from service.keys import create_key, revoke_key
from service.settings import Settings

# Orders per shop from (shop_id, paid_at) alone; the median and the largest shop.
SHOPS_BY_ORDERS_SQL = """
SELECT s.shop_id, s.industry, s.tier, count(o.shop_id) AS orders
FROM shops AS s
LEFT JOIN orders AS o ON o.shop_id = s.shop_id
GROUP BY s.shop_id
ORDER BY orders, s.shop_id
"""


def own_figures(body: dict[str, Any]) -> list[tuple[str, object]]:
    """Every metric value and previous-period figure of the answer, in order."""
    found: list[tuple[str, object]] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if "metric" in node and "value" in node:
                found.append((f"{path}/{node['metric']}", node["value"]))
                for comparison in node.get("comparisons") or []:
                    if comparison.get("kind") == "PREVIOUS_PERIOD":
                        found.append((f"{path}/{node['metric']}/previous", comparison["value"]))
            else:
                for name, child in node.items():
                    walk(child, f"{path}/{name}")
        elif isinstance(node, list):
            for place, child in enumerate(node):
                walk(child, f"{path}/{place}")

    walk(body.get("data"), "")
    return found


async def timed(
    http: httpx.AsyncClient, url: str, key: str, document: str, variables: dict[str, Any]
) -> tuple[float, dict[str, Any], str]:
    began = time.perf_counter()
    response = await http.post(
        f"{url}/graphql",
        json={"query": document, "variables": variables},
        headers={"authorization": f"Bearer {key}"},
    )
    milliseconds = (time.perf_counter() - began) * 1000
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"HTTP {response.status_code}: {body.get('errors')}")
    return milliseconds, body, response.headers.get("x-sql-statements", "?")


async def run(args: argparse.Namespace, database_url: str) -> None:
    documents = screen_documents()
    if args.screen not in documents:
        raise SystemExit(f"--screen {args.screen}: not in docs/queries.md")
    variants = {"with peers": documents[args.screen]}
    variants["without"] = without_peers(variants["with peers"])
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    key_id = None
    try:
        if args.shop:
            shops = [(shop, shop) for shop in args.shop]
        else:
            rows = await pool.fetch(SHOPS_BY_ORDERS_SQL)
            picks = {"median": rows[len(rows) // 2], "largest": rows[-1]}
            shops = [
                (
                    f"{name} shop {row['shop_id']} ({row['industry']}, tier {row['tier']}, "
                    f"{row['orders']:,} orders)",
                    row["shop_id"],
                )
                for name, row in picks.items()
            ]
        last_paid = await pool.fetchval(LAST_PAID_SQL)
        last = args.to or last_paid.astimezone(Settings().zone).date()
        period = {"from": str(last - timedelta(days=args.days - 1)), "to": str(last)}
        key, secret = await create_key(pool, scope="admin", shops=None, name="bench peer cost")
        key_id = key.key_id
        print(f"source {source_revision()}; server {args.url}")
        print(
            f"{args.screen}, period {period['from']} .. {period['to']}; {args.runs} rounds, "
            "each request at a new data version"
        )
        print(f"load average before: {load_average()}")
        processes = Processes.now()
        async with httpx.AsyncClient(timeout=args.timeout) as http:
            for label, shop in shops:
                variables = {"shop": shop, "period": period}
                times: dict[str, list[float]] = {name: [] for name in variants}
                counted: dict[str, str] = {}
                figures: dict[str, list[tuple[str, object]]] = {}
                for document in variants.values():  # warm the server's connections
                    await timed(http, args.url, secret, document, variables)
                for round_ in range(args.runs):
                    names = list(variants) if round_ % 2 == 0 else list(reversed(variants))
                    for name in names:
                        await pool.fetchval(NEW_VERSION_SQL)
                        milliseconds, body, counted[name] = await timed(
                            http, args.url, secret, variants[name], variables
                        )
                        times[name].append(milliseconds)
                        figures[name] = own_figures(body)
                same = figures["with peers"] == figures["without"]
                medians = {name: statistics.median(values) for name, values in times.items()}
                print(f"{label}:")
                for name, values in times.items():
                    print(
                        f"  {name:<10} p50 {medians[name]:7.0f} ms  min {min(values):7.0f}  "
                        f"max {max(values):7.0f} ms  statements {counted[name]}  "
                        f"({', '.join(f'{value:.0f}' for value in values)})"
                    )
                print(
                    f"  peer cost ratio (p50 with / without): "
                    f"{medians['with peers'] / medians['without']:.2f}; own values and previous "
                    f"period {'alike' if same else 'DIFFER'} ({len(figures['without'])} figures)"
                )
        print(f"load average after: {load_average()}")
        print_cpu_by_process(processes, Processes.now())
    finally:
        if key_id is not None:
            await revoke_key(pool, key_id=key_id)
        await pool.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: DATABASE_URL)")
    parser.add_argument("--screen", default="MemberDashboard", help="operation of docs/queries.md")
    parser.add_argument("--shop", action="append", default=[], help="time these shops instead")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds per shop (5)")
    parser.add_argument("--days", type=int, default=30, help="days in the period (30)")
    parser.add_argument(
        "--to", type=date.fromisoformat, help="last day (default: the latest order's)"
    )
    parser.add_argument("--timeout", type=float, default=60, help="client timeout, s (60)")
    args = parser.parse_args(argv)
    database_url = required_url(args.database_url)
    asyncio.run(run(args, database_url))


if __name__ == "__main__":
    main()
