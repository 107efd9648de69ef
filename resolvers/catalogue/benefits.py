"""Benefits (权益供给): how member benefits are claimed, used and kept online."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import ORDER_DIMENSIONS, USER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.BENEFITS

BENEFITS_SPECS: Final = (
    MetricSpec(
        metric=Metric.BENEFIT_CLAIMS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="权益领取次数",
        label_en="Benefit claims",
        description_zh="统计周期内的权益领取事件数。",
        description_en="Number of benefit-claim events in the period.",
        dimensions=USER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.BENEFIT_CLAIMERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="权益领取人数",
        label_en="Benefit claimers",
        description_zh="统计周期内有权益领取事件的去重用户数。",
        description_en="Distinct users with a benefit-claim event in the period.",
        dimensions=USER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.BENEFIT_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="权益使用人数",
        label_en="Benefit users",
        description_zh=(
            "统计周期内支付的、使用了会员权益的会员订单（支付时买家处于本店会员期内）的去重买家数。"
        ),
        description_en=(
            "Distinct buyers of member orders paid in the period that used a member benefit "
            "(a member order's buyer was a member of the shop when paying)."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.BENEFIT_PENETRATION,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="会员权益渗透率",
        label_en="Benefit penetration",
        description_zh=(
            "权益使用人数 ÷ 会员成交人数（统计周期内支付的会员订单）；会员成交人数为 0 时为空。"
        ),
        description_en=(
            "Benefit users divided by member buyers, over member orders paid in the period; "
            "null when there are no member buyers."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.BENEFIT_ONLINE_DAYS,
        group=_GROUP,
        unit=Unit.DAYS,
        higher_is_better=True,
        label_zh="权益在线天数",
        label_en="Benefit online days",
        description_zh=(
            "统计周期内至少有一项本店权益在线的天数；"
            "权益的在线区间 [上线时间, 下线时间) 与某天有重叠即计该天，下线时间为空表示仍在线。"
        ),
        description_en=(
            "Days of the period on which at least one of the shop's benefits was online: a day "
            "counts if the benefit's online interval [online from, online to) overlaps it; no "
            "end means still online."
        ),
        dimensions=(),
    ),
)
