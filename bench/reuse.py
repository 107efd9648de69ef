"""What kept readings save: the dashboard at a new data version, asked again, and after
another shop of its peer group asked the same period.

    python bench/reuse.py --database-url postgresql://postgres@127.0.0.1:5432/memberlens_bench

Runs the application in process (like ``bench/dashboard.py``) on the dashboard document of
``bench/request.py``, for the median and the largest shop by orders, over the 30 days
ending ``--to``. A new data version is made by ``UPDATE data_version`` (what every load
does), so nothing read before is kept. Prints the median of ``--runs`` timed requests for:

- trivial: ``shop(id) { id name }``;
- uncached: the dashboard at a new data version;
- repeated: the same request again at the same version;
- after a peer: at a new version, first the dashboard of another shop of the same
  industry and tier (untimed), then the shop's own (its peers' windows are kept).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: ``python bench/reuse.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.database import run_in_process
from bench.request import dashboard_document
from service.app import create_app
from service.keys import create_key, revoke_key
from service.settings import Settings

PICK_SQL = """
WITH counted AS (
    SELECT s.shop_id, s.industry, s.tier, count(o.order_id) AS orders
    FROM shops AS s
    LEFT JOIN orders AS o ON o.shop_id = s.shop_id
    GROUP BY s.shop_id
)
SELECT shop_id, industry, tier,
       row_number() OVER (ORDER BY orders, shop_id) AS place, count(*) OVER () AS shops
FROM counted
"""
NEW_VERSION_SQL = "UPDATE data_version SET version = version + 1"
TRIVIAL = "query T($shop: ID!) { shop(id: $shop) { id name } }"


async def _timed(
    http: httpx.AsyncClient, secret: str, query: str, variables: dict[str, object]
) -> float:
    started = time.perf_counter()
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {secret}"},
    )
    elapsed = time.perf_counter() - started
    body = response.json()
    if "errors" in body:
        raise SystemExit(f"errors: {body['errors']}")
    return elapsed * 1000


async def run(args: argparse.Namespace, settings: Settings, url: str) -> None:
    app = create_app(settings, database_url=url)
    async with app.router.lifespan_context(app):
        pool = app.state.pool
        rows = await pool.fetch(PICK_SQL)
        by_place = {row["place"]: row for row in rows}
        picks = {"median": by_place[(len(rows) + 1) // 2], "largest": by_place[len(rows)]}
        if args.shop:
            chosen = [row for row in rows if row["shop_id"] in args.shop]
            picks = {f"chosen ({n})": row for n, row in enumerate(chosen, start=1)}
        key, secret = await create_key(pool, scope="admin", shops=None, name="bench reuse")
        period = {"from": str(args.to - timedelta(days=29)), "to": str(args.to)}
        document = dashboard_document(metrics=True, series=True)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:
                for label, pick in picks.items():
                    shop = pick["shop_id"]
                    peer = next(
                        row["shop_id"]
                        for row in rows
                        if row["industry"] == pick["industry"]
                        and row["tier"] == pick["tier"]
                        and row["shop_id"] != shop
                    )
                    variables = {"shop": shop, "period": period}
                    times: dict[str, list[float]] = {
                        "trivial": [],
                        "uncached": [],
                        "repeated": [],
                        "after a peer": [],
                    }
                    await _timed(http, secret, document, variables)  # warm connections
                    for _ in range(args.runs):
                        times["trivial"].append(await _timed(http, secret, TRIVIAL, {"shop": shop}))
                        await pool.execute(NEW_VERSION_SQL)
                        times["uncached"].append(await _timed(http, secret, document, variables))
                        times["repeated"].append(await _timed(http, secret, document, variables))
                        await pool.execute(NEW_VERSION_SQL)
                        await _timed(http, secret, document, {"shop": peer, "period": period})
                        times["after a peer"].append(
                            await _timed(http, secret, document, variables)
                        )
                    print(f"{label} shop {shop} ({pick['industry']}, tier {pick['tier']}):")
                    for name, values in times.items():
                        print(
                            f"  {name:13s} p50 {statistics.median(values):8.1f} ms"
                            f"  max {max(values):8.1f} ms"
                        )
        finally:
            await revoke_key(pool, key_id=key.key_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: DATABASE_URL)")
    parser.add_argument("--runs", type=int, default=10, help="timed rounds per shop (10)")
    parser.add_argument("--shop", action="append", default=[], help="time these shops instead")
    parser.add_argument(
        "--to", type=date.fromisoformat, default=date(2026, 11, 30), help="last day"
    )
    args = parser.parse_args()
    run_in_process(args.database_url, lambda url, settings: run(args, settings, url))


if __name__ == "__main__":
    main()
