"""Relationship quality (会员关系): Taobao's quality and potential member assessment."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import MEMBER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.RELATIONSHIP

RELATIONSHIP_SPECS: Final = (
    MetricSpec(
        metric=Metric.QUALITY_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="优质会员数",
        label_en="Quality members",
        description_zh=(
            "统计周期末的会员中，在截至周期结束时刻的最近 365 天内在本店有至少 1 笔订单的人数。"
        ),
        description_en=(
            "Members at the end of the period with at least one order at the shop in the 365 "
            "days ending at the period's end."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.POTENTIAL_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="潜力会员数",
        label_en="Potential members",
        description_zh=(
            "统计周期末的会员中，非优质会员、且在截至周期结束时刻的最近 90 天内有至少 1 次活跃事件"
            "（进店、看直播、看短视频、领取权益、积分互动；不含下单）的人数。"
        ),
        description_en=(
            "Members at the end of the period who are not quality members and had at least one "
            "activity event (shop visit, live watch, video watch, benefit claim, points "
            "interaction; orders excluded) in the 90 days ending at the period's end."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.EFFECTIVE_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="有效会员规模",
        label_en="Effective members",
        description_zh="优质会员数 + 潜力会员数（均为统计周期末的会员）。",
        description_en="Quality members plus potential members, both at the end of the period.",
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.QUALITY_SHARE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="优质关系占比",
        label_en="Quality share",
        description_zh="优质会员数 ÷ 有效会员规模；有效会员规模为 0 时为空。",
        description_en=(
            "Quality members divided by effective members; null when there are no effective "
            "members."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
)
