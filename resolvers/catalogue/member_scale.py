"""Member scale (会员规模): membership stints at and during the period."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import MEMBER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.MEMBER_SCALE

MEMBER_SCALE_SPECS: Final = (
    MetricSpec(
        metric=Metric.MEMBER_COUNT,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="会员总数",
        label_en="Members",
        description_zh=(
            "统计周期末的会员数：有一段会员记录的入会时间早于周期结束时刻（最后一天次日 00:00），"
            "且退会时间为空或不早于该时刻的用户数。"
        ),
        description_en=(
            "Members at the end of the period: users with a membership stint that began before "
            "the period's end (00:00 after its last day) and had not ended by then."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.NEW_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="新增入会",
        label_en="New members",
        description_zh="入会时间在统计周期内的会员记录所属的去重用户数（退会后重新入会也计入）。",
        description_en=(
            "Distinct users with a membership stint that began in the period "
            "(rejoining after leaving counts)."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.LEFT_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=False,
        label_zh="退会人数",
        label_en="Members left",
        description_zh="退会时间在统计周期内的会员记录所属的去重用户数。越低越好。",
        description_en=(
            "Distinct users with a membership stint that ended in the period. Lower is better."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.NET_NEW_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="净增会员",
        label_en="Net new members",
        description_zh="统计周期内的新增入会人数减去退会人数，可为负数。",
        description_en="New members minus members left in the period; can be negative.",
        dimensions=MEMBER_DIMENSIONS,
    ),
)
