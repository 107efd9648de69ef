"""Time a realistic dashboard request against the service, in process, shop by shop.

    python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/bench

The app runs in this process (``create_app`` with its lifespan, requests through
``httpx.ASGITransport``: no sockets, no server), so the figures are the service's own time:
GraphQL parsing and validation, the resolvers, the SQL and the JSON response. An admin key
is created for the run and revoked afterwards. The shops timed are the median shop and the
largest shop by orders (``--shop`` adds others). The period is the last ``--days`` days of
data (ending on the day of the latest order, or ``--to``). Every statement the requests
run is recorded from the service's own pool (``bench/statements.py``): the per-statement
breakdown is printed, with ``--alone`` each statement's time when run by itself, and with
``--explain`` the plan of the slowest statement.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a script: ``python bench/dashboard.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import httpx

from bench.database import run_in_process
from bench.report import Timing, print_values, quiet_service_errors, source_revision
from bench.request import COMPARE, METRICS, SHOP_FIELDS_QUERY, dashboard_document
from bench.statements import (
    Executed,
    Recorder,
    explain,
    label,
    print_breakdown,
    recording,
    time_alone,
)
from bench.statements import slowest as slowest_statement
from service.app import create_app
from service.keys import create_key, revoke_key
from service.settings import Settings

SHOPS_BY_ORDERS_SQL = """
SELECT s.shop_id, s.industry, s.tier, coalesce(o.orders, 0) AS orders
FROM shops AS s
LEFT JOIN (
    SELECT shop_id, count(*) AS orders
    FROM orders
    GROUP BY shop_id
) AS o ON o.shop_id = s.shop_id
ORDER BY orders, s.shop_id
"""

LAST_ORDER_SQL = """
SELECT max(paid_at)
FROM orders
"""

SHOP_SCALE_SQL = """
SELECT
    (SELECT count(*) FROM orders WHERE shop_id = $1 AND paid_at >= $2 AND paid_at < $3)
        AS period_orders,
    (SELECT count(*) FROM members
     WHERE shop_id = $1 AND joined_at < $3 AND (left_at IS NULL OR left_at >= $3))
        AS members_at_end,
    (SELECT count(*) FROM shops AS p
     JOIN shops AS s ON s.shop_id = $1
     WHERE p.industry = s.industry AND p.shop_id <> s.shop_id) AS industry_shops,
    (SELECT count(*) FROM shops AS p
     JOIN shops AS s ON s.shop_id = $1
     WHERE p.industry = s.industry AND p.tier = s.tier AND p.shop_id <> s.shop_id)
        AS tier_peers
"""


# Timed runs of each statement with ``--alone``.
ALONE_RUNS = 5


@dataclass(frozen=True)
class ShopPick:
    label: str
    shop_id: str
    industry: str
    tier: int
    orders: int


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: DATABASE_URL)")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per shop (50)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument("--days", type=int, default=30, help="days in the period (30)")
    parser.add_argument("--to", type=date.fromisoformat, help="last day of the period")
    parser.add_argument("--shop", action="append", default=[], help="also time this shop")
    parser.add_argument(
        "--only",
        choices=("median", "largest"),
        help="time only the median or only the largest shop",
    )
    parser.add_argument(
        "--series",
        choices=("auto", "on", "off"),
        default="auto",
        help="include the two daily series: when the schema has Shop.series (auto, the "
        "default), always, or never",
    )
    parser.add_argument(
        "--parts", action="store_true", help="also time the metrics and the series alone"
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="also time each statement of the dashboard request alone, one after the other",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of the dashboard",
    )
    return parser.parse_args(argv)


async def pick_shops(pool: asyncpg.Pool, args: argparse.Namespace) -> list[ShopPick]:
    """The median and the largest shop by orders, and any asked for."""
    rows = await pool.fetch(SHOPS_BY_ORDERS_SQL)
    if not rows:
        raise SystemExit("no shops: run bench/generate.py first")
    by_id = {row["shop_id"]: row for row in rows}
    chosen = [("median", rows[len(rows) // 2]), ("largest", rows[-1])]
    if args.only:
        chosen = [(name, row) for name, row in chosen if name == args.only]
    for shop_id in args.shop:
        if shop_id not in by_id:
            raise SystemExit(f"--shop {shop_id}: no such shop")
        chosen.append(("asked", by_id[shop_id]))
    return [
        ShopPick(name, row["shop_id"], row["industry"], row["tier"], row["orders"])
        for name, row in chosen
    ]


@dataclass(frozen=True)
class Bench:
    """What every timed request shares."""

    http: httpx.AsyncClient
    headers: dict[str, str]
    pool: asyncpg.Pool
    recorder: Recorder
    zone: ZoneInfo
    period: dict[str, str]
    with_series: bool


async def time_document(
    bench: Bench, document: str, variables: dict[str, Any], *, warmup: int, runs: int
) -> Timing:
    """Post ``document`` ``warmup + runs`` times, one after the other; time the last runs."""
    timing = Timing()
    for run in range(warmup + runs):
        bench.recorder.start()
        began = time.perf_counter()
        response = await bench.http.post(
            "/graphql", json={"query": document, "variables": variables}, headers=bench.headers
        )
        elapsed = (time.perf_counter() - began) * 1000
        executed = bench.recorder.stop()
        body = response.json()
        if not timing.first_body:
            timing.first_body = body
        if run < warmup:
            continue
        timing.latencies.append(elapsed)
        timing.statements.append(int(response.headers.get("x-sql-statements", "-1")))
        timing.executed.append(executed)
        if response.status_code != 200 or body.get("errors"):
            messages = [error.get("message", "") for error in body.get("errors") or []]
            timing.errors.append("; ".join(messages) or f"HTTP {response.status_code}")
    return timing


def instant(day: date, zone: ZoneInfo) -> datetime:
    """00:00 of ``day`` in ``zone``."""
    return datetime.combine(day, clock(), zone)


async def time_shops(
    bench: Bench, shops: list[ShopPick], args: argparse.Namespace
) -> list[list[Executed]]:
    """Time the dashboard (with ``--parts`` also its parts) for each shop in turn; return
    the statements of every timed dashboard request."""
    documents = [("dashboard", dashboard_document(metrics=True, series=bench.with_series))]
    if args.parts:
        documents.append(("metrics only", dashboard_document(metrics=True, series=False)))
        if bench.with_series:
            documents.append(("series only", dashboard_document(metrics=False, series=True)))
    start = date.fromisoformat(bench.period["from"])
    end = date.fromisoformat(bench.period["to"]) + timedelta(days=1)
    recorded: list[list[Executed]] = []
    for shop in shops:
        scale = await bench.pool.fetchrow(
            SHOP_SCALE_SQL, shop.shop_id, instant(start, bench.zone), instant(end, bench.zone)
        )
        assert scale is not None
        print(
            f"\n{shop.label} shop {shop.shop_id} ({shop.industry}, tier {shop.tier}): "
            f"{shop.orders:,} orders in all, {scale['period_orders']:,} in the period, "
            f"{scale['members_at_end']:,} members at its end; "
            f"{scale['industry_shops']} other shops in its industry, "
            f"{scale['tier_peers']} in its tier"
        )
        variables = {"shop": shop.shop_id, "period": bench.period}
        for name, document in documents:
            timing = await time_document(
                bench, document, variables, warmup=args.warmup, runs=args.runs
            )
            print(f"  {name:<13} {timing.summary()}")
            first = " ".join(f"{latency:.0f}" for latency in timing.latencies[:10])
            print(f"    first timed requests (ms): {first}")
            if timing.errors:
                print(f"    {len(timing.errors)} responses with errors: {timing.errors[0]}")
            if name == "dashboard":
                print_values(timing.first_body)
                print("    statements of the request (time as run by the service):")
                print_breakdown(timing.executed, indent="      ")
                recorded += timing.executed
                if args.alone and timing.executed:
                    print(f"    the same statements, each alone (median of {ALONE_RUNS} runs):")
                    alone = await time_alone(bench.pool, timing.executed[-1], runs=ALONE_RUNS)
                    for statement, milliseconds in alone:
                        print(f"      {statement:<62} p50 {milliseconds:8.1f} ms")
    return recorded


async def run(url: str, settings: Settings, args: argparse.Namespace) -> None:
    recorder = Recorder()
    causes = quiet_service_errors()
    with recording(recorder):
        app = create_app(settings, database_url=url)
        async with app.router.lifespan_context(app):
            pool: asyncpg.Pool = app.state.pool
            shops = await pick_shops(pool, args)
            last_paid = await pool.fetchval(LAST_ORDER_SQL)
            last = args.to or last_paid.astimezone(settings.zone).date()
            first = last - timedelta(days=args.days - 1)
            period = {"from": first.isoformat(), "to": last.isoformat()}
            key, secret = await create_key(pool, scope="admin", shops=None, name="bench")
            headers = {"authorization": f"Bearer {secret}"}
            try:
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                    shop_type = await http.post(
                        "/graphql", json={"query": SHOP_FIELDS_QUERY}, headers=headers
                    )
                    fields = shop_type.json()["data"]["__type"]["fields"]
                    has_series = "series" in {field["name"] for field in fields}
                    with_series = args.series == "on" or (args.series == "auto" and has_series)
                    print(f"source {source_revision()}; PostgreSQL {await server_version(pool)}")
                    print(
                        f"period {first} .. {last}; {len(METRICS)} metrics x {len(COMPARE)} "
                        "comparisons; daily series: "
                        + ("GMV, MEMBER_COUNT" if with_series else "left out")
                        + f"; {args.runs} timed requests per shop after {args.warmup} untimed"
                    )
                    bench = Bench(http, headers, pool, recorder, settings.zone, period, with_series)
                    recorded = await time_shops(bench, shops, args)
            finally:
                await revoke_key(pool, key_id=key.key_id)
            if args.explain and recorded:
                await explain_slowest(pool, recorded)
    for cause, count in causes.causes.items():
        print(f"service errors: {count} x {cause}")


async def explain_slowest(pool: asyncpg.Pool, recorded: list[list[Executed]]) -> None:
    """The plans of the statement with the highest median time: as planned for its own
    arguments (custom), and the generic plan a connection switches to after five runs."""
    worst = slowest_statement(recorded)
    for generic in (False, True):
        kind = "generic plan" if generic else "custom plan"
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statement, {label(worst)}, {kind}:")
        for line in await explain(pool, worst, generic=generic):
            print("  " + line)


async def server_version(pool: asyncpg.Pool) -> str:
    version: str = await pool.fetchval("SHOW server_version")
    return version


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    run_in_process(args.database_url, lambda url, settings: run(url, settings, args))


if __name__ == "__main__":
    main()
