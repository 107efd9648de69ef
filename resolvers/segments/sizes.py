"""Segment sizes: every segment of a request counted as of one day in one statement."""

from __future__ import annotations

import json
from datetime import date
from typing import Final

from strawberry.dataloader import DataLoader

from resolvers.segments.audience import SegmentKey, decode_rule
from resolvers.segments.compiler import segment_sql
from resolvers.segments.params import Params
from resolvers.shared import shared
from schema.context import Info

# One row per segment: its position in the batch (a number from code) and its size.
SIZE_ROW_SQL: Final = """
SELECT {position} AS position, (
    SELECT count(*)
    FROM (
{audience}
    ) AS audience
) AS size"""

# A segment as a loader key: its shop and its rule in a canonical JSON form.
SizeKey = tuple[str, str]


def _sizes_loader(info: Info, day: date) -> DataLoader[SizeKey, int]:
    zone = info.context.settings.zone

    async def load(keys: list[SizeKey]) -> list[int]:
        params = Params()
        rows = [
            SIZE_ROW_SQL.format(
                position=position,
                audience=segment_sql(
                    decode_rule(rule), shop_id=shop_id, as_of=day, zone=zone, params=params
                ),
            )
            for position, (shop_id, rule) in enumerate(keys)
        ]
        records = await info.context.pool.fetch("\nUNION ALL\n".join(rows), *params.values)
        sizes = {record["position"]: record["size"] for record in records}
        return [sizes[position] for position in range(len(keys))]

    return shared(info, ("segment sizes", day), lambda: DataLoader(load_fn=load))


async def segment_size(info: Info, segment: SegmentKey, day: date) -> int:
    """The segment's size as of ``day``; the sizes the request asks at once share a statement.
    A saved rule that can no longer be evaluated fails here, before it joins the statement,
    so that it fails its own size only."""
    rule = json.dumps(segment.evaluable_rule(), sort_keys=True, ensure_ascii=False)
    return await _sizes_loader(info, day).load((segment.shop.shop_id, rule))
