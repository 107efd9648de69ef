"""KPI targets: set per shop, metric and exact period; read back by the TARGET comparison."""

from __future__ import annotations

import math
from decimal import Decimal

import asyncpg
import strawberry

from resolvers.catalogue import Metric
from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.metrics import period_of
from resolvers.periods import Period
from resolvers.take_back import take_back_with
from schema.context import Info
from schema.kpi import DateRange, KpiTarget
from schema.period import PeriodInput

# One statement: the SELECT yields no row for an unknown shop, so nothing is written. The
# target it replaces, if any, comes back too: read in the statement's snapshot, so before
# the write (no FOR UPDATE, which would skip the row the statement itself changes).
UPSERT_TARGET_SQL = """
WITH previous AS (
    SELECT target, updated_at
    FROM kpi_targets
    WHERE shop_id = $1
      AND metric = $2
      AND period_from = $3
      AND period_to = $4
)
INSERT INTO kpi_targets (shop_id, metric, period_from, period_to, target, updated_at)
SELECT shop_id, $2, $3, $4, $5, now()
FROM shops
WHERE shop_id = $1
ON CONFLICT (shop_id, metric, period_from, period_to)
DO UPDATE SET target = EXCLUDED.target, updated_at = EXCLUDED.updated_at
RETURNING shop_id, metric, period_from, period_to, target, updated_at,
          (SELECT target FROM previous) AS previous_target,
          (SELECT updated_at FROM previous) AS previous_updated_at
"""

# Taking a save back, only while the target is still as it left it ($5: its updated_at).
TAKE_BACK_NEW_TARGET_SQL = """
DELETE FROM kpi_targets
WHERE shop_id = $1
  AND metric = $2
  AND period_from = $3
  AND period_to = $4
  AND updated_at = $5
"""

TAKE_BACK_REPLACED_TARGET_SQL = """
UPDATE kpi_targets
SET target = $6,
    updated_at = $7
WHERE shop_id = $1
  AND metric = $2
  AND period_from = $3
  AND period_to = $4
  AND updated_at = $5
"""


def _kpi_target(record: asyncpg.Record) -> KpiTarget:
    return KpiTarget(
        shop_id=strawberry.ID(record["shop_id"]),
        metric=Metric(record["metric"]),
        period=DateRange(from_=record["period_from"], to=record["period_to"]),
        target=float(record["target"]),
        updated_at=record["updated_at"],
    )


def _take_back(info: Info, record: asyncpg.Record) -> None:
    """Register how to undo the upsert: delete a new target, or put back the one replaced."""
    where = (
        record["shop_id"],
        record["metric"],
        record["period_from"],
        record["period_to"],
        record["updated_at"],
    )
    if record["previous_updated_at"] is None:
        take_back_with(info, TAKE_BACK_NEW_TARGET_SQL, *where)
    else:
        previous = (record["previous_target"], record["previous_updated_at"])
        take_back_with(info, TAKE_BACK_REPLACED_TARGET_SQL, *where, *previous)


async def upsert_kpi_target(
    info: Info, *, shop_id: str, metric: Metric, period: Period, target: Decimal
) -> KpiTarget | None:
    """Insert or replace the target, registering how to take it back; None when the shop
    does not exist."""
    record = await info.context.pool.fetchrow(
        UPSERT_TARGET_SQL, shop_id, metric.value, period.first, period.last, target
    )
    if record is None:
        return None
    _take_back(info, record)
    return _kpi_target(record)


async def resolve_set_kpi_target(
    info: Info,
    shop_id: strawberry.ID,
    metric: Metric,
    period: PeriodInput,
    target: float,
) -> KpiTarget:
    """``Mutation.setKpiTarget``: FORBIDDEN before NOT_FOUND, then the arguments."""
    principal = info.context.principal
    if not principal.can_write:
        raise Forbidden("setKpiTarget: this API key has read scope; a target needs a write key")
    if not principal.may_read(str(shop_id)):
        raise Forbidden(f"shopId: this API key may not touch shop {str(shop_id)!r}")
    span = period_of(info, period)
    if not math.isfinite(target):
        raise BadUserInput(f"target must be a finite number, not {target}")
    # repr gives the shortest decimal that reads back as the same float: 0.1, not 0.1000…0555.
    saved = await upsert_kpi_target(
        info,
        shop_id=str(shop_id),
        metric=metric,
        period=span,
        target=Decimal(repr(target)),
    )
    if saved is None:
        raise NotFound(f"shopId: no shop {str(shop_id)!r}")
    return saved
