"""Product card (商品卡): card impressions, clicks and orders (carrier ``product_card``)."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Metric, MetricGroup, Unit
from resolvers.catalogue.spec import CARD_DIMENSIONS, ORDER_DIMENSIONS, MetricSpec

_GROUP: Final = MetricGroup.PRODUCT_CARD

PRODUCT_CARD_SPECS: Final = (
    MetricSpec(
        metric=Metric.CARD_IMPRESSION_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="商品卡曝光人数",
        label_en="Card impression users",
        description_zh="统计周期内有商品卡曝光事件的去重用户数。",
        description_en="Distinct users with a product-card impression in the period.",
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_CLICK_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="商品卡点击人数",
        label_en="Card click users",
        description_zh="统计周期内有商品卡点击事件的去重用户数。",
        description_en="Distinct users with a product-card click in the period.",
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_CLICKS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="商品卡点击次数",
        label_en="Card clicks",
        description_zh="统计周期内的商品卡点击事件数。",
        description_en="Number of product-card click events in the period.",
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_CTR,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="商品卡点击率",
        label_en="Card CTR",
        description_zh="商品卡点击人数 ÷ 商品卡曝光人数（统计周期内）；曝光人数为 0 时为空。",
        description_en=(
            "Users who clicked a product card in the period divided by users shown one in the "
            "period; null when no one was shown a card."
        ),
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_CLICKS_PER_USER,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="人均点击次数",
        label_en="Clicks per user",
        description_zh="商品卡点击次数 ÷ 商品卡点击人数（统计周期内）；点击人数为 0 时为空。",
        description_en=(
            "Product-card clicks in the period divided by users who clicked a product card in "
            "the period; null when no one clicked."
        ),
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_NEW_CLICK_SHARE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="新客点击占比",
        label_en="New-customer click share",
        description_zh=(
            "商品卡点击人数中新客（统计周期开始前从未在本店下单）所占比例；点击人数为 0 时为空。"
        ),
        description_en=(
            "Share of the users who clicked a product card in the period who are new to the "
            "shop (no order at the shop before the period); null when no one clicked."
        ),
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_GMV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="商品卡成交金额",
        label_en="Card GMV",
        description_zh="统计周期内支付的商品卡订单的实付金额之和（元），不扣除退款。",
        description_en=(
            "Sum of the amount paid for product-card orders paid in the period, in yuan; "
            "refunds are not deducted."
        ),
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_BUYERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="商品卡成交人数",
        label_en="Card buyers",
        description_zh="统计周期内支付的商品卡订单的去重买家数。",
        description_en="Distinct buyers of product-card orders paid in the period.",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_CONVERSION_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="点击-成交转化率",
        label_en="Click-to-order conversion",
        description_zh="商品卡成交人数 ÷ 商品卡点击人数（统计周期内）；点击人数为 0 时为空。",
        description_en=(
            "Distinct buyers of product-card orders paid in the period divided by users who "
            "clicked a product card in the period; null when no one clicked."
        ),
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.CARD_UV_VALUE,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="UV价值",
        label_en="UV value",
        description_zh="商品卡成交金额 ÷ 商品卡点击人数（统计周期内，元）；点击人数为 0 时为空。",
        description_en=(
            "Amount paid for product-card orders paid in the period, in yuan, divided by users "
            "who clicked a product card in the period; null when no one clicked."
        ),
        dimensions=CARD_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.LOST_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=False,
        label_zh="流失用户",
        label_en="Lost users",
        description_zh="统计周期内点击过商品卡、但周期内未在本店下单的去重用户数。越低越好。",
        description_en=(
            "Users who clicked a product card in the period and had no order paid at the shop "
            "in the period. Lower is better."
        ),
        dimensions=CARD_DIMENSIONS,
    ),
)
