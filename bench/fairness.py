"""How one key's heaviest permitted documents affect other tenants, against a running server.

    python bench/fairness.py --url http://127.0.0.1:8000 --heavy-key mlk_… --heavy-shop s0031 \
        --other-key mlk_… --other-shop s1050

The heavy key sends ``--concurrency`` copies at once of the costliest document the budget
allows (``--series`` aliased 366-day daily series of ACTIVE_MEMBER_RATE); meanwhile the
other key asks its shop's 7-day GMV ten times and ``/healthz`` is timed. Then a 2^60-path
fragment document is sent while ``/healthz`` is timed. Every request is bounded by a
client timeout; the run takes under a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx

SMALL = '{{ shop(id: "{shop}") {{ metrics(names: [GMV], period: {{lastDays: 7}}) {{ value }} }} }}'


def heavy_document(shop: str, series: int) -> str:
    fields = " ".join(
        f"a{i}: series(metric: ACTIVE_MEMBER_RATE, period: {{lastDays: 366}}) {{ value }}"
        for i in range(series)
    )
    return f'{{ shop(id: "{shop}") {{ {fields} }} }}'


def fragment_document(levels: int) -> str:
    spreads = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    return f"query {{ ...F0 }} {spreads} fragment F{levels} on Query {{ __typename }}"


async def timed(http: httpx.AsyncClient, url: str, key: str, document: str) -> tuple[float, Any]:
    started = time.perf_counter()
    response = await http.post(
        f"{url}/graphql", json={"query": document}, headers={"authorization": f"Bearer {key}"}
    )
    body = response.json()
    codes = sorted({error["extensions"]["code"] for error in body.get("errors", [])})
    return time.perf_counter() - started, (response.status_code, codes)


async def worst_health(http: httpx.AsyncClient, url: str, stop: asyncio.Event) -> float:
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await http.get(f"{url}/healthz")
        worst = max(worst, time.perf_counter() - started)
        await asyncio.sleep(0.005)
    return worst


async def run(args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        heavy = heavy_document(args.heavy_shop, args.series)
        stop = asyncio.Event()
        health = asyncio.create_task(worst_health(http, args.url, stop))
        loads = [
            asyncio.create_task(timed(http, args.url, args.heavy_key, heavy))
            for _ in range(args.concurrency)
        ]
        await asyncio.sleep(1)
        small = SMALL.format(shop=args.other_shop)
        others = []
        for _ in range(10):
            others.append(await timed(http, args.url, args.other_key, small))
            await asyncio.sleep(0.5)
        for seconds, outcome in await asyncio.gather(*loads):
            print(f"heavy document: {seconds:6.2f} s {outcome}")
        stop.set()
        print(
            "other tenant: "
            + ", ".join(f"{seconds * 1000:.0f}" for seconds, _ in others)
            + f" ms; answers {sorted({str(outcome) for _, outcome in others})}"
        )
        print(f"/healthz meanwhile: worst {await health * 1000:.1f} ms")

        stop = asyncio.Event()
        health = asyncio.create_task(worst_health(http, args.url, stop))
        seconds, outcome = await timed(http, args.url, args.heavy_key, fragment_document(60))
        stop.set()
        print(f"fragment document: {seconds * 1000:.1f} ms {outcome}")
        print(f"/healthz meanwhile: worst {await health * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--heavy-key", required=True)
    parser.add_argument("--heavy-shop", required=True)
    parser.add_argument("--other-key", required=True)
    parser.add_argument("--other-shop", required=True)
    parser.add_argument("--series", type=int, default=6, help="aliased 366-day series")
    parser.add_argument("--concurrency", type=int, default=4, help="heavy documents at once")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
