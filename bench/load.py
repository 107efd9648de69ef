"""Platform load: mixed dashboard screens at a fixed concurrency against a running server.

    python bench/load.py --url http://127.0.0.1:8300 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench

``--concurrency`` clients (8) post the screens of docs/queries.md (``bench/request.py``
parses them: member dashboard, member assessment, user assets, product card by entry) one
request after the other for ``--duration`` seconds (60), each request bounded by the
client timeout ``--timeout`` (30 s). Every request picks, from one seeded random sequence
(``--seed``): a screen (all equally often), a shop (any shop; a shop's share grows ×1.34 a
tier, the square root of the data's growth in size, since a larger shop has more staff
opening the screens but not proportionally more) and a period of ``--min-days`` to
``--max-days`` days (7–90) ending on one of the last ``--end-days`` days of data (120).
With probability ``--repeat`` (0.2) a request instead asks again for the screen, shop and
period of an earlier request of the sequence (a page reloaded, a colleague opening the
same view), picked among those at least ``--concurrency`` places back.

The database (``--database-url``, default ``DATABASE_URL``) gives the shops and the last
day of data, and the run starts at a new data version (``UPDATE data_version``, what every
load does), so no fact reading of an earlier run is kept by the server. Each client has an
admin key of its own, created for the run and revoked at the end (the per-key limits of
the service are not what is measured; ``--key`` uses given keys instead).

Prints requests/s, latency percentiles, errors by code and HTTP status, each screen's
p50/p95, and the latencies of requests repeating an earlier answered (screen, shop,
period), whose fact readings the server keeps, apart from first-time ones.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: ``python bench/load.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import httpx

from bench.database import required_url
from bench.machine import Processes, print_cpu_by_process
from bench.report import source_revision
from bench.request import SCREENS, screen_documents
from service.keys import create_key, revoke_key
from service.settings import Settings

SHOPS_SQL = """
SELECT shop_id, tier
FROM shops
ORDER BY shop_id
"""
# The latest order, shop by shop through (shop_id, paid_at): no scan of every order.
LAST_PAID_SQL = """
SELECT max(last.paid_at)
FROM shops AS s
CROSS JOIN LATERAL (
    SELECT o.paid_at FROM orders AS o
    WHERE o.shop_id = s.shop_id
    ORDER BY o.paid_at DESC
    LIMIT 1
) AS last
"""
NEW_VERSION_SQL = """
UPDATE data_version SET version = version + 1
RETURNING version
"""

# A shop's share of the requests grows by this factor a tier.
TIER_WEIGHT = 1.8**0.5

FIRST = "first time"
REPEAT = "repeat"
OVERLAP = "repeat, earlier not answered"


@dataclass(frozen=True)
class Ask:
    """One planned request: what is asked."""

    screen: str
    shop: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Outcome:
    """One request as sent and answered."""

    ask: Ask
    kind: str  # FIRST, REPEAT or OVERLAP
    sent: float  # seconds after the run began
    milliseconds: float
    status: int | None  # None: no HTTP answer
    codes: tuple[str, ...]  # error codes of the answer, or the client's failure
    statements: int | None
    message: str = ""  # the first error's path and message

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.codes


class Plan:
    """The seeded sequence of requests, handed out in order to whichever client is free."""

    def __init__(
        self, args: argparse.Namespace, shops: list[tuple[str, int]], last_day: date
    ) -> None:
        self.random = random.Random(args.seed)
        self.args = args
        self.shops = [shop for shop, _ in shops]
        self.weights = [TIER_WEIGHT**tier for _, tier in shops]
        self.last_day = last_day
        self.asked: list[Ask] = []

    def next(self) -> Ask:
        args, pick = self.args, self.random
        back = len(self.asked) - args.concurrency
        if back > 0 and pick.random() < args.repeat:
            ask = self.asked[pick.randrange(back)]
        else:
            end = self.last_day - timedelta(days=pick.randrange(args.end_days))
            days = pick.randint(args.min_days, args.max_days)
            ask = Ask(
                screen=pick.choice(args.screens),
                shop=pick.choices(self.shops, weights=self.weights)[0],
                start=end - timedelta(days=days - 1),
                end=end,
            )
        self.asked.append(ask)
        return ask


class Run:
    """What the clients share: the plan, the answers so far, the outcomes."""

    def __init__(self, plan: Plan, documents: dict[str, str], began: float) -> None:
        self.plan = plan
        self.documents = documents
        self.began = began
        self.sent: set[Ask] = set()
        self.answered: set[Ask] = set()
        self.outcomes: list[Outcome] = []


async def client(
    run: Run, http: httpx.AsyncClient, url: str, key: str, deadline: float, limit: float
) -> None:
    """Post one request after the other until the deadline, each bounded by ``limit`` seconds."""
    headers = {"authorization": f"Bearer {key}"}
    while time.perf_counter() < deadline:
        ask = run.plan.next()
        kind = REPEAT if ask in run.answered else OVERLAP if ask in run.sent else FIRST
        run.sent.add(ask)
        variables = {
            "shop": ask.shop,
            "period": {"from": ask.start.isoformat(), "to": ask.end.isoformat()},
        }
        payload = {"query": run.documents[ask.screen], "variables": variables}
        sent = time.perf_counter()
        status: int | None = None
        statements: int | None = None
        message = ""
        try:
            async with asyncio.timeout(limit):
                response = await http.post(f"{url}/graphql", json=payload, headers=headers)
            status = response.status_code
            try:
                errors = response.json().get("errors") or []
                codes = tuple(
                    sorted({(e.get("extensions") or {}).get("code", "?") for e in errors})
                )
                if errors:
                    where = ".".join(str(part) for part in errors[0].get("path") or ())
                    message = f"{where}: {errors[0].get('message', '')}".lstrip(": ")
            except ValueError:
                codes = ("unreadable body",)
            counted = response.headers.get("x-sql-statements")
            statements = int(counted) if counted and counted.isdigit() else None
        except (TimeoutError, httpx.TimeoutException):
            codes = ("client timeout",)
        except httpx.HTTPError as exc:
            codes = (f"client {type(exc).__name__}",)
        elapsed = (time.perf_counter() - sent) * 1000
        outcome = Outcome(ask, kind, sent - run.began, elapsed, status, codes, statements, message)
        run.outcomes.append(outcome)
        if outcome.ok:
            run.answered.add(ask)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values``, linearly interpolated (``share`` in [0, 1])."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    place = share * (len(ordered) - 1)
    low = math.floor(place)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (place - low)


def spread(values: list[float], *, p99: bool = True) -> str:
    """p50/p95[/p99]/max of latencies in ms."""
    if not values:
        return "no requests"
    parts = [f"p50 {percentile(values, 0.5):7.0f}", f"p95 {percentile(values, 0.95):7.0f}"]
    if p99:
        parts.append(f"p99 {percentile(values, 0.99):7.0f}")
    parts.append(f"max {max(values):7.0f} ms")
    return "  ".join(parts)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def report(run: Run, seconds: float, args: argparse.Namespace) -> None:
    outcomes = run.outcomes
    answered = [o for o in outcomes if o.status is not None]
    ok = [o for o in outcomes if o.ok]
    print(
        f"\n{len(outcomes)} requests in {seconds:.1f} s: {len(outcomes) / seconds:.2f} requests/s "
        f"({len(ok) / seconds:.2f}/s answered without errors); "
        f"{sum(1 for o in outcomes if o.kind != FIRST)} repeats"
    )
    print(f"  all answered ({len(answered)})  {spread([o.milliseconds for o in answered])}")
    print(f"  without errors ({len(ok)})  {spread([o.milliseconds for o in ok])}")

    failures: Counter[str] = Counter()
    example: dict[str, str] = {}
    for outcome in outcomes:
        if not outcome.ok:
            status = "no answer" if outcome.status is None else f"HTTP {outcome.status}"
            failure = f"{', '.join(outcome.codes) or 'no code'} ({status})"
            failures[failure] += 1
            example.setdefault(failure, outcome.message)
    print("errors by code (HTTP status):" + ("" if failures else " none"))
    for failure, count in failures.most_common():
        print(f"  {failure:<40} {count:5d}  e.g. {example[failure] or '-'}")

    print("per screen (answered without errors; first-time requests / all):")
    for screen in args.screens:
        mine = [o for o in outcomes if o.ask.screen == screen]
        fine = [o.milliseconds for o in mine if o.ok]
        first = [o.milliseconds for o in mine if o.ok and o.kind == FIRST]
        print(
            f"  {screen:<20} {len(mine):4d} sent, {len(mine) - len(fine):3d} with errors;"
            f"  first time p50 {percentile(first, 0.5):7.0f} p95 {percentile(first, 0.95):7.0f}"
            f"  all p50 {percentile(fine, 0.5):7.0f} p95 {percentile(fine, 0.95):7.0f} ms"
        )

    print("cached vs uncached (answered without errors):")
    for kind in (FIRST, REPEAT, OVERLAP):
        mine = [o for o in ok if o.kind == kind]
        counts = sorted(o.statements for o in mine if o.statements is not None)
        statements = f"; statements p50 {counts[len(counts) // 2]}" if counts else ""
        print(f"  {kind:<29} {len(mine):4d}  {spread([o.milliseconds for o in mine])}{statements}")
    by_screen: dict[str, list[float]] = defaultdict(list)
    for outcome in ok:
        if outcome.kind == REPEAT:
            by_screen[outcome.ask.screen].append(outcome.milliseconds)
    print(
        "  repeats by screen, p50: "
        + ", ".join(
            f"{screen} {percentile(values, 0.5):.0f} ms ({len(values)})"
            for screen, values in by_screen.items()
        )
    )

    step = 10
    buckets = Counter(int((o.sent + o.milliseconds / 1000) // step) for o in outcomes)
    print(
        f"answers per {step} s: "
        + " ".join(str(buckets.get(b, 0)) for b in range(int(seconds // step) + 1))
    )
    print("slowest requests:")
    for outcome in sorted(outcomes, key=lambda o: -o.milliseconds)[:5]:
        ask = outcome.ask
        print(
            f"  {outcome.milliseconds:7.0f} ms  {ask.screen:<20} {ask.shop} {ask.days:2d} days "
            f"to {ask.end}  {outcome.kind}; {', '.join(outcome.codes) or 'ok'}"
        )


async def run_load(args: argparse.Namespace, database_url: str) -> None:
    documents = screen_documents()
    missing = [screen for screen in args.screens if screen not in documents]
    if missing:
        raise SystemExit(f"not in docs/queries.md: {', '.join(missing)}")
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    created: list[str] = []
    try:
        shops = [(row["shop_id"], row["tier"]) for row in await pool.fetch(SHOPS_SQL)]
        if not shops:
            raise SystemExit("no shops in the database")
        last_paid = await pool.fetchval(LAST_PAID_SQL)
        last_day = args.to or last_paid.astimezone(Settings().zone).date()
        keys = list(args.key)
        for n in range(0 if keys else args.concurrency):
            key, secret = await create_key(pool, scope="admin", shops=None, name=f"bench load {n}")
            created.append(key.key_id)
            keys.append(secret)
        version = None if args.keep_version else await pool.fetchval(NEW_VERSION_SQL)
        print(f"source {source_revision()}; server {args.url}")
        print(
            f"{len(shops)} shops; screens {', '.join(args.screens)}; periods of "
            f"{args.min_days}-{args.max_days} days ending {last_day - timedelta(args.end_days - 1)}"
            f" .. {last_day}; repeat {args.repeat}; seed {args.seed}; concurrency "
            f"{args.concurrency} with {len(keys)} keys; {args.duration:g} s; client timeout "
            f"{args.timeout:g} s; data version {version if version else 'as it was'}"
        )
        print(f"load average before: {load_average()}")
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=64)
        async with httpx.AsyncClient(timeout=args.timeout, limits=limits) as http:
            processes = Processes.now()
            began = time.perf_counter()
            run = Run(Plan(args, shops, last_day), documents, began)
            deadline = began + args.duration
            await asyncio.gather(
                *(
                    client(run, http, args.url, keys[n % len(keys)], deadline, args.timeout)
                    for n in range(args.concurrency)
                )
            )
            seconds = time.perf_counter() - began
        print(f"load average after: {load_average()}")
        print_cpu_by_process(processes, Processes.now())
        report(run, seconds, args)
    finally:
        for key_id in created:
            await revoke_key(pool, key_id=key_id)
        await pool.close()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: DATABASE_URL)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once (8)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--timeout", type=float, default=30, help="client timeout, s (30)")
    parser.add_argument("--seed", type=int, default=1, help="of the request sequence (1)")
    parser.add_argument(
        "--screen",
        dest="screens",
        action="append",
        help=f"an operation of docs/queries.md (repeatable; default {', '.join(SCREENS)})",
    )
    parser.add_argument("--min-days", type=int, default=7, help="shortest period (7)")
    parser.add_argument("--max-days", type=int, default=90, help="longest period (90)")
    parser.add_argument(
        "--end-days", type=int, default=120, help="periods end within the last N days (120)"
    )
    parser.add_argument(
        "--to", type=date.fromisoformat, help="last day of data (default: the latest order's)"
    )
    parser.add_argument(
        "--repeat", type=float, default=0.2, help="share of requests asking again (0.2)"
    )
    parser.add_argument(
        "--key", action="append", default=[], help="use this key (repeatable; none: create)"
    )
    parser.add_argument(
        "--keep-version", action="store_true", help="do not start at a new data version"
    )
    args = parser.parse_args(argv)
    args.screens = args.screens or list(SCREENS)
    if not 1 <= args.min_days <= args.max_days or args.end_days < 1:
        parser.error("need 1 <= --min-days <= --max-days and --end-days >= 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    database_url = required_url(args.database_url)
    asyncio.run(run_load(args, database_url))


if __name__ == "__main__":
    main()
