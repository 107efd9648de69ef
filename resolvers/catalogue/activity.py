"""Activity (会员活跃): members at the end of the period who interacted with the shop."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import MEMBER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.ACTIVITY

ACTIVITY_SPECS: Final = (
    MetricSpec(
        metric=Metric.ACTIVE_MEMBERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="活跃会员数",
        label_en="Active members",
        description_zh=(
            "统计周期末仍为会员、且在统计周期内有至少 1 次活跃行为的用户数。活跃行为：进店、"
            "看直播、看短视频、领取权益、积分互动，或下单。"
        ),
        description_en=(
            "Members at the end of the period with at least one activity at the shop in the "
            "period. An activity is a shop visit, live watch, video watch, benefit claim, "
            "points interaction, or an order."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.ACTIVE_MEMBER_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="活跃会员占比",
        label_en="Active member rate",
        description_zh="活跃会员数 ÷ 统计周期末的会员总数；会员总数为 0 时为空。",
        description_en=(
            "Active members divided by members at the end of the period; null when there are "
            "no members."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MONTHLY_ACTIVE_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="月会员活跃度",
        label_en="Monthly active rate",
        description_zh=(
            "统计周期末的会员中，在截至周期结束时刻的最近 30 天内有至少 1 次活跃行为"
            "（进店、看直播、看短视频、领取权益、积分互动或下单）的人数 ÷ 统计周期末的会员总数；"
            "与统计周期长短无关；会员总数为 0 时为空。"
        ),
        description_en=(
            "Members at the end of the period with at least one activity (shop visit, live "
            "watch, video watch, benefit claim, points interaction, or order) in the 30 days "
            "ending at the period's end, divided by members at the end of the period; "
            "independent of the period's length; null when there are no members."
        ),
        dimensions=MEMBER_DIMENSIONS,
    ),
)
