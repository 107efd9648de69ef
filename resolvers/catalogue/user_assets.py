"""User assets (用户资产): every user of the shop, member or not."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import ORDER_DIMENSIONS, USER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.USER_ASSETS

USER_ASSETS_SPECS: Final = (
    MetricSpec(
        metric=Metric.AUDIENCE_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="触达用户",
        label_en="Audience users",
        description_zh="统计周期内在本店有看直播、看短视频或商品点击行为的去重用户数（不论是否会员）。",
        description_en=(
            "Distinct users, members or not, with a live watch, video watch or product click "
            "at the shop in the period."
        ),
        dimensions=USER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.HIGH_POTENTIAL_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="高潜用户",
        label_en="High-potential users",
        description_zh=(
            "统计周期内的触达用户中，周期内未在本店下单、"
            "且周期内有至少 1 次加购或至少 2 次商品点击的人数。"
        ),
        description_en=(
            "Audience users with no order at the shop in the period and with at least one "
            "add-to-cart or at least two product clicks in the period."
        ),
        dimensions=USER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.FIRST_ORDER_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="首单用户",
        label_en="First-order users",
        description_zh="统计周期内在本店下单、且周期开始前从未在本店下单的去重买家数。",
        description_en=(
            "Distinct buyers of orders paid in the period with no order at the shop before "
            "the period."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REPEAT_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="复购用户",
        label_en="Repeat users",
        description_zh="统计周期内在本店下单、且周期开始前曾在本店下单的去重买家数。",
        description_en=(
            "Distinct buyers of orders paid in the period with an order at the shop before "
            "the period."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.FAN_GMV_SHARE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="粉丝贡献金额占比",
        label_en="Fan GMV share",
        description_zh=(
            "统计周期内支付的粉丝订单的实付金额之和 ÷ 成交金额；粉丝订单指支付时买家正关注本店账号"
            "的订单；成交金额为 0 时为空。"
        ),
        description_en=(
            "GMV of fan orders paid in the period divided by GMV; a fan order is one whose buyer "
            "was following the shop's account when paying; null when GMV is 0."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
)
