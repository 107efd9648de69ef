"""Loader throughput: ``memberlens load`` of large orders and events files, in a scratch
database, for shops, users and products of the benchmark data.

    python bench/loader.py --database-url postgresql://postgres@127.0.0.1:5432/bench

The benchmark database is only read. On the same server a scratch database
(``--scratch``, ``memberlens_loadbench``) is created and migrated (``memberlens migrate``),
and the dimension rows the files refer to are copied into it from the benchmark database
(``COPY … TO STDOUT`` / ``COPY … FROM STDIN``, binary, streamed through asyncpg): every
shop, creator, product, benefit and campaign, and a sample of about ``--users`` users
(300,000; whole pages of the users table, ``TABLESAMPLE SYSTEM … REPEATABLE``), then
``ANALYZE``. Then ``--orders`` order rows and ``--events`` event rows (1,000,000 each)
are written as interchange CSV files (columns of docs/loading.md) from a seeded
``random.Random``, over the ``--days`` days (30) after the last day of the benchmark data,
in time order: shops weighted ×1.8 a tier (the data's growth in size), any sampled user,
products and benefits of the row's own shop, the carriers, entries, creators, benefits,
refunds and event types in about the shares of the benchmark data. Each file is then
loaded by the command line, ``memberlens load FILE`` (one transaction each, orders first),
timed from outside; the command's own table of rows/s is printed too. ``--reload`` loads
both files again (every row unchanged). The scratch database and the files are dropped at
the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

if __package__ in (None, ""):  # run as a script: ``python bench/loader.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg

from bench.load import LAST_PAID_SQL, load_average
from bench.machine import Processes, print_cpu_by_process
from bench.report import source_revision
from service.demo.writer import HEADERS
from service.settings import Settings
from vocabulary import ENTRIES

# Dimension tables copied whole, and how the users are sampled ($1 percent, seed $2).
WHOLE_TABLES = ("shops", "creators", "products", "benefits", "campaigns")
USERS_SAMPLE = "TABLESAMPLE SYSTEM ({percent}) REPEATABLE ({seed})"
USER_COUNT_SQL = """
SELECT count(*) FROM users
"""
COLUMNS_SQL = """
SELECT attname
FROM pg_attribute
WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
ORDER BY attnum
"""
SCRATCH_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

ORDER_COLUMNS = HEADERS["orders"]
EVENT_COLUMNS = HEADERS["events"]
# Shares of the benchmark data's last days.
ORDER_CARRIERS = {"live": 33, "short_video": 26, "product_card": 41}
EVENT_TYPES = {
    "product_impression": 38,
    "product_click": 16,
    "shop_visit": 16,
    "live_watch": 11,
    "video_watch": 9,
    "add_to_cart": 5,
    "benefit_claim": 2.5,
    "points_interaction": 2.5,
}
EVENT_CARRIERS = {"live": 30, "short_video": 30, "product_card": 40}
QUANTITIES = {1: 80, 2: 15, 3: 5}
CREATOR_SHARE = 0.35  # of live and short-video orders
BENEFIT_SHARE = 0.12
REFUND_SHARE = 0.08
PAID_SHARE = 0.3
TIER_GROWTH = 1.8


class Dimensions:
    """What the fact rows may refer to, as copied into the scratch database."""

    def __init__(self) -> None:
        self.shops: list[str] = []
        self.shop_weights: list[float] = []
        self.users: list[str] = []
        self.creators: list[str] = []
        self.products: dict[str, list[tuple[str, int]]] = defaultdict(list)  # (id, cents)
        self.benefits: dict[str, list[str]] = defaultdict(list)

    async def read(self, connection: asyncpg.Connection) -> None:
        for row in await connection.fetch(
            "SELECT product_id, shop_id, price FROM products ORDER BY product_id"
        ):
            self.products[row["shop_id"]].append((row["product_id"], int(row["price"] * 100)))
        for row in await connection.fetch(
            "SELECT benefit_id, shop_id FROM benefits ORDER BY benefit_id"
        ):
            self.benefits[row["shop_id"]].append(row["benefit_id"])
        for row in await connection.fetch("SELECT shop_id, tier FROM shops ORDER BY shop_id"):
            if row["shop_id"] in self.products:  # a fact names a product of its shop
                self.shops.append(row["shop_id"])
                self.shop_weights.append(TIER_GROWTH ** row["tier"])
        self.users = [r[0] for r in await connection.fetch("SELECT user_id FROM users ORDER BY 1")]
        self.creators = [
            r[0] for r in await connection.fetch("SELECT creator_id FROM creators ORDER BY 1")
        ]


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _instants(
    pick: random.Random, count: int, first: datetime, seconds: float
) -> Iterator[datetime]:
    """``count`` instants in ``[first, first + seconds)``, in time order, to the second."""
    for offset in sorted(pick.random() * seconds for _ in range(count)):
        yield first + timedelta(seconds=int(offset))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _chooser(pick: random.Random, shares: Mapping[str, float]) -> Callable[[], str]:
    names = list(shares)
    total = sum(shares.values())
    cumulative, running = [], 0.0
    for name in names:
        running += shares[name] / total
        cumulative.append(running)

    def choose() -> str:
        return pick.choices(names, cum_weights=cumulative)[0]

    return choose


def write_orders(
    path: Path, dims: Dimensions, count: int, first: datetime, days: int, seed: int
) -> None:
    pick = random.Random(seed)
    shops = pick.choices(dims.shops, weights=dims.shop_weights, k=count)
    users = pick.choices(dims.users, k=count)
    carrier = _chooser(pick, ORDER_CARRIERS)
    quantity = _chooser(pick, {str(q): share for q, share in QUANTITIES.items()})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ORDER_COLUMNS)
        instants = _instants(pick, count, first, days * 86_400)
        for n, (shop, user, paid) in enumerate(zip(shops, users, instants, strict=False)):
            product, price = pick.choice(dims.products[shop])
            count_of = int(quantity())
            amount = price * count_of
            chosen = carrier()
            entry = pick.choice(ENTRIES) if chosen == "product_card" else ""
            creator = (
                pick.choice(dims.creators)
                if chosen != "product_card" and pick.random() < CREATOR_SHARE
                else ""
            )
            benefits = dims.benefits.get(shop)
            benefit = pick.choice(benefits) if benefits and pick.random() < BENEFIT_SHARE else ""
            refund = refunded = ""
            if pick.random() < REFUND_SHARE:
                refund = _money(int(amount * pick.uniform(0.1, 1.0)))
                refunded = _stamp(paid + timedelta(seconds=pick.randint(3_600, 7 * 86_400)))
            traffic = "paid" if pick.random() < PAID_SHARE else "organic"
            writer.writerow(
                (
                    f"lo{n}",
                    shop,
                    user,
                    product,
                    count_of,
                    _money(amount),
                    _stamp(paid),
                    chosen,
                    traffic,
                    entry,
                    creator,
                    benefit,
                    refund,
                    refunded,
                )
            )


def write_events(
    path: Path, dims: Dimensions, count: int, first: datetime, days: int, seed: int
) -> None:
    pick = random.Random(seed + 1)
    shops = pick.choices(dims.shops, weights=dims.shop_weights, k=count)
    users = pick.choices(dims.users, k=count)
    kind = _chooser(pick, EVENT_TYPES)
    carrier = _chooser(pick, EVENT_CARRIERS)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(EVENT_COLUMNS)
        instants = _instants(pick, count, first, days * 86_400)
        for n, (shop, user, occurred) in enumerate(zip(shops, users, instants, strict=False)):
            chosen = kind()
            product = card = entry = benefit = ""
            if chosen in ("product_impression", "product_click", "add_to_cart"):
                product = pick.choice(dims.products[shop])[0]
            if chosen in ("product_impression", "product_click"):
                card = carrier()
                entry = pick.choice(ENTRIES) if card == "product_card" else ""
            if chosen == "benefit_claim":
                benefits = dims.benefits.get(shop)
                if benefits:
                    benefit = pick.choice(benefits)
                else:
                    chosen = "shop_visit"
            writer.writerow(
                (f"le{n}", shop, user, chosen, _stamp(occurred), product, card, entry, benefit)
            )


async def _copy_table(
    source: asyncpg.Connection, target: asyncpg.Connection, table: str, sample: str = ""
) -> int:
    """Stream ``table``'s rows (``sample``: a TABLESAMPLE clause) from source to target."""
    columns = [row[0] for row in await target.fetch(COLUMNS_SQL, table)]
    listed = ", ".join(f'"{column}"' for column in columns)
    query = f'SELECT {listed} FROM "{table}" {sample}'  # noqa: S608 (names from the catalogue)
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=32)

    async def produce() -> None:
        try:
            await source.copy_from_query(query, output=queue.put, format="binary")
        finally:
            await queue.put(None)

    async def chunks() -> AsyncIterator[bytes]:
        while (chunk := await queue.get()) is not None:
            yield chunk

    _, status = await asyncio.gather(
        produce(),
        target.copy_to_table(table, source=chunks(), columns=columns, format="binary"),
    )
    return int(str(status).split()[-1])


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass(frozen=True)
class Ran:
    """One run of the ``memberlens`` command line."""

    wall: float  # seconds
    cpu: float  # CPU seconds of the command itself
    done: subprocess.CompletedProcess[str]


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _memberlens(args: list[str], database_url: str) -> Ran:
    """Run the ``memberlens`` command line on ``database_url``, timed."""
    env = dict(os.environ, DATABASE_URL=database_url)
    cpu = _children_cpu()
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "service.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Ran(time.perf_counter() - began, _children_cpu() - cpu, done)


async def create_scratch(args: argparse.Namespace, admin_url: str) -> None:
    """Create the scratch database (dropping an existing one only with ``--replace``)."""
    admin = await asyncpg.connect(admin_url)
    try:
        exists = await admin.fetchval(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", args.scratch
        )
        if exists and not args.replace:
            raise SystemExit(f"database {args.scratch} exists: drop it or give --replace")
        if exists:
            await admin.execute(f'DROP DATABASE "{args.scratch}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{args.scratch}"')
    finally:
        await admin.close()


async def fill_scratch(
    args: argparse.Namespace, source_url: str, scratch_url: str
) -> tuple[Dimensions, date]:
    """Copy the dimension rows into the migrated scratch database; what the files may
    refer to, and the last day of the benchmark data."""
    source = await asyncpg.connect(source_url)
    target = await asyncpg.connect(scratch_url)
    try:
        last_paid = await source.fetchval(LAST_PAID_SQL)
        last_day = last_paid.astimezone(Settings().zone).date()
        began = time.perf_counter()
        copied = [(table, await _copy_table(source, target, table)) for table in WHOLE_TABLES]
        all_users = await source.fetchval(USER_COUNT_SQL)
        percent = min(100.0, 100.0 * args.users / max(all_users, 1))
        sample = USERS_SAMPLE.format(percent=f"{percent:.6f}", seed=int(args.seed))
        copied.append(("users", await _copy_table(source, target, "users", sample)))
        copy_seconds = time.perf_counter() - began
        await target.execute("ANALYZE")
        analyze_seconds = time.perf_counter() - began - copy_seconds
        print(
            f"copied {', '.join(f'{table} {rows:,}' for table, rows in copied)} "
            f"in {copy_seconds:.1f} s (then ANALYZE {analyze_seconds:.1f} s)"
        )
        dims = Dimensions()
        await dims.read(target)
    finally:
        await source.close()
        await target.close()
    return dims, last_day


def load(path: Path, scratch_url: str, label: str) -> None:
    """``memberlens load path``, timed from outside; its table printed."""
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
    ran = _memberlens(["load", str(path)], scratch_url)
    seconds, done = ran.wall, ran.done
    if done.returncode:
        raise SystemExit(f"memberlens load {path.name} failed:\n{done.stderr[-4000:]}")
    print(
        f"{label} {path.name}: {rows:,} rows in {seconds:.1f} s wall "
        f"({rows / seconds:,.0f} rows/s with the command's start; the command used "
        f"{ran.cpu:.1f} s of CPU); memberlens load says:"
    )
    for line in done.stdout.strip().splitlines():
        if line.strip():
            print(f"    {line.rstrip()}")


async def drop(admin_url: str, name: str) -> None:
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", help="the benchmark database (default: DATABASE_URL)")
    parser.add_argument("--scratch", default="memberlens_loadbench", help="scratch database name")
    parser.add_argument("--orders", type=int, default=1_000_000, help="order rows (1,000,000)")
    parser.add_argument("--events", type=int, default=1_000_000, help="event rows (1,000,000)")
    parser.add_argument("--users", type=int, default=300_000, help="users to copy, about")
    parser.add_argument("--days", type=int, default=30, help="days the files span (30)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="write the files here (default: a temp folder)")
    parser.add_argument("--reload", action="store_true", help="then load both files again")
    parser.add_argument(
        "--replace", action="store_true", help="drop an existing scratch database first"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch database and the files"
    )
    args = parser.parse_args(argv)
    source_url = args.database_url or os.environ.get("DATABASE_URL")
    if not source_url:
        raise SystemExit("give --database-url or set DATABASE_URL")
    if not SCRATCH_NAME.fullmatch(args.scratch):
        raise SystemExit("--scratch: lower-case letters, digits and _ only")
    if urlsplit(source_url).path.lstrip("/") == args.scratch:
        raise SystemExit("--scratch names the benchmark database")
    admin_url = _with_database(source_url, "postgres")
    scratch_url = _with_database(source_url, args.scratch)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="memberlens-loadbench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"source {source_revision()}; load average before: {load_average()}")
    asyncio.run(create_scratch(args, admin_url))
    try:
        ran = _memberlens(["migrate"], scratch_url)
        if ran.done.returncode:
            raise SystemExit(f"memberlens migrate failed:\n{ran.done.stderr}")
        print(f"created {args.scratch}; memberlens migrate {ran.wall:.1f} s")
        dims, last_day = asyncio.run(fill_scratch(args, source_url, scratch_url))
        first = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
        orders, events = folder / "orders.csv", folder / "events.csv"
        began = time.perf_counter()
        last = first.date() + timedelta(days=args.days - 1)
        write_orders(orders, dims, args.orders, first, args.days, args.seed)
        write_events(events, dims, args.events, first, args.days, args.seed)
        print(
            f"wrote {orders.name} ({orders.stat().st_size / 2**20:.0f} MiB) and {events.name} "
            f"({events.stat().st_size / 2**20:.0f} MiB) for {len(dims.shops):,} shops and "
            f"{len(dims.users):,} users, {first.date()} .. {last}, "
            f"in {time.perf_counter() - began:.1f} s"
        )
        processes = Processes.now()
        load(orders, scratch_url, "load")
        load(events, scratch_url, "load")
        if args.reload:
            load(orders, scratch_url, "re-load")
            load(events, scratch_url, "re-load")
        print(f"load average after: {load_average()}")
        print_cpu_by_process(processes, Processes.now())
    finally:
        if args.keep:
            print(f"kept database {args.scratch} and the files in {folder}")
        else:
            asyncio.run(drop(admin_url, args.scratch))
            if args.dir is None:
                shutil.rmtree(folder, ignore_errors=True)
            print(f"dropped database {args.scratch}")


if __name__ == "__main__":
    main()
