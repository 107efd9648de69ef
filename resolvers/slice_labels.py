"""Chinese display labels of slice keys, as breakdown rows show them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import asyncpg

from resolvers.catalogue import Dimension
from vocabulary import CHANNEL_LABELS, UNKNOWN

UNKNOWN_LABEL: Final = "未知"
OTHER_LABEL: Final = "其他"

# Codes that are not display text; keys of other dimensions (categories, provinces, age
# and price bands) are shown as they are.
CODE_LABELS: Final[dict[Dimension, dict[str, str]]] = {
    **{
        Dimension[kind]: {code: zh for code, (zh, _) in codes.items()}
        for kind, codes in CHANNEL_LABELS.items()
    },
    Dimension.FAN_STATUS: {"fan": "粉丝", "non_fan": "非粉丝"},
    Dimension.GENDER: {"female": "女", "male": "男"},
    Dimension.CROWD: {
        "gen_z": "Z世代",
        "urban_white_collar": "新锐白领",
        "refined_mom": "精致妈妈",
        "senior_middle_class": "资深中产",
        "urban_blue_collar": "都市蓝领",
        "small_town_youth": "小镇青年",
        "urban_senior": "都市银发",
        "small_town_senior": "小镇中老年",
    },
}

# Only the shop's own products: a name is another shop's data.
PRODUCT_NAMES_SQL: Final = """
SELECT product_id AS key, name
FROM products
WHERE shop_id = $1
  AND product_id = any($2::text[])
"""

CREATOR_NAMES_SQL: Final = """
SELECT creator_id AS key, name
FROM creators
WHERE creator_id = any($1::text[])
"""


async def load_names(
    pool: asyncpg.Pool, *, shop_id: str, dimension: Dimension, keys: Sequence[str]
) -> dict[str, str]:
    """Names of products or creators by id, in one statement; empty for other dimensions."""
    if not keys:
        return {}
    if dimension is Dimension.PRODUCT:
        records = await pool.fetch(PRODUCT_NAMES_SQL, shop_id, list(keys))
    elif dimension is Dimension.CREATOR:
        records = await pool.fetch(CREATOR_NAMES_SQL, list(keys))
    else:
        return {}
    return {record["key"]: record["name"] for record in records}


def label_of(dimension: Dimension, key: str, names: dict[str, str]) -> str:
    """The label of one key, given the names loaded for the dimension."""
    if key in names:
        return names[key]
    label = CODE_LABELS.get(dimension, {}).get(key)
    if label is not None:
        return label
    return UNKNOWN_LABEL if key == UNKNOWN else key
