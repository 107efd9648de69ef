"""Contribution (会员贡献): orders paid in the period, and the members' part of them."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import ORDER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.CONTRIBUTION

CONTRIBUTION_SPECS: Final = (
    MetricSpec(
        metric=Metric.GMV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="成交金额",
        label_en="GMV",
        description_zh="支付时间在统计周期内的订单的实付金额之和（元），不扣除退款。",
        description_en=(
            "Sum of the amount paid for orders paid in the period, in yuan; refunds are not "
            "deducted."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.NET_GMV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="净成交金额",
        label_en="Net GMV",
        description_zh=(
            "支付时间在统计周期内的订单的（实付金额 − 退款金额）之和（元）；"
            "退款计入原订单的支付日，不论何时退款。"
        ),
        description_en=(
            "Sum of amount paid minus amount refunded over orders paid in the period, in yuan; "
            "a refund counts on its order's paid day, whenever it happened."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REFUND_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=False,
        label_zh="退款率",
        label_en="Refund rate",
        description_zh=(
            "支付时间在统计周期内的订单的退款金额之和 ÷ 其成交金额；成交金额为 0 时为空。越低越好。"
        ),
        description_en=(
            "Amount refunded on orders paid in the period divided by their GMV; null when GMV "
            "is 0. Lower is better."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.ORDERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="成交订单数",
        label_en="Orders",
        description_zh="支付时间在统计周期内的订单数；已退款的订单仍计入。",
        description_en="Number of orders paid in the period; refunded orders still count.",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.BUYERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="成交人数",
        label_en="Buyers",
        description_zh="支付时间在统计周期内的订单的去重买家数。",
        description_en="Distinct buyers of orders paid in the period.",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.AOV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="客单价",
        label_en="Average order value",
        description_zh="成交金额 ÷ 成交人数（按买家平均，而非按订单）；成交人数为 0 时为空。",
        description_en=(
            "GMV divided by buyers in the period (per buyer, not per order); null when there "
            "are no buyers."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REPURCHASE_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="复购率",
        label_en="Repurchase rate",
        description_zh="统计周期内支付了至少 2 笔订单的买家数 ÷ 成交人数；成交人数为 0 时为空。",
        description_en=(
            "Buyers with at least 2 orders paid in the period divided by buyers; null when "
            "there are no buyers."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_GMV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="会员成交金额",
        label_en="Member GMV",
        description_zh=(
            "统计周期内支付的会员订单的实付金额之和（元）。会员订单：支付时买家处于本店会员期内"
            "（有一段会员记录覆盖支付时间）的订单。"
        ),
        description_en=(
            "Sum of the amount paid for member orders paid in the period, in yuan. A member "
            "order is one whose buyer had a membership stint at the shop covering its payment "
            "time."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_GMV_SHARE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="会员成交金额占比",
        label_en="Member GMV share",
        description_zh=(
            "会员成交金额 ÷ 成交金额（统计周期内支付的订单）；"
            "会员订单指支付时买家为本店会员的订单；成交金额为 0 时为空。"
        ),
        description_en=(
            "Member GMV divided by GMV, over orders paid in the period; a member order is one "
            "whose buyer was a member of the shop when paying; null when GMV is 0."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_ORDERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="会员订单数",
        label_en="Member orders",
        description_zh="统计周期内支付的会员订单数（支付时买家处于本店会员期内）。",
        description_en=(
            "Number of member orders paid in the period: orders whose buyer was a member of "
            "the shop when paying."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_BUYERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="会员成交人数",
        label_en="Member buyers",
        description_zh="统计周期内支付的会员订单（支付时买家处于本店会员期内）的去重买家数。",
        description_en=(
            "Distinct buyers of member orders paid in the period (orders whose buyer was a "
            "member of the shop when paying)."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_BUYER_SHARE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="会员成交人数占比",
        label_en="Member buyer share",
        description_zh="会员成交人数 ÷ 成交人数（统计周期内支付的订单）；成交人数为 0 时为空。",
        description_en=(
            "Member buyers divided by buyers, over orders paid in the period; null when there "
            "are no buyers."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_AOV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="会员客单价",
        label_en="Member average order value",
        description_zh=(
            "会员成交金额 ÷ 会员成交人数（统计周期内支付的会员订单）；会员成交人数为 0 时为空。"
        ),
        description_en=(
            "Member GMV divided by member buyers, over member orders paid in the period; null "
            "when there are no member buyers."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.MEMBER_REPURCHASE_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="会员复购率",
        label_en="Member repurchase rate",
        description_zh=(
            "统计周期内支付了至少 2 笔会员订单的会员买家数 ÷ 会员成交人数；"
            "会员成交人数为 0 时为空。"
        ),
        description_en=(
            "Member buyers with at least 2 member orders paid in the period divided by member "
            "buyers; null when there are no member buyers."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
)
