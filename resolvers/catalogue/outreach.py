"""Outreach (会员触达转化): messages sent by the shop's campaigns and what followed them."""

from __future__ import annotations

from typing import Final

from resolvers.catalogue.enums import Dimension, Metric, MetricGroup, Unit
from resolvers.catalogue.spec import REACH_DIMENSIONS, MetricSpec, dimension_set

_GROUP: Final = MetricGroup.OUTREACH

OUTREACH_SPECS: Final = (
    MetricSpec(
        metric=Metric.REACHED_USERS,
        group=_GROUP,
        unit=Unit.COUNT,
        higher_is_better=True,
        label_zh="触达人数",
        label_en="Reached users",
        description_zh="统计周期内收到本店任一触达活动（短信、超级短信、私信、推送）消息的去重用户数。",
        description_en=(
            "Distinct users sent a message by any of the shop's outreach campaigns (SMS, super "
            "SMS, private message, push) in the period."
        ),
        dimensions=REACH_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REACH_VISIT_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="触达24小时回访率",
        label_en="24h revisit rate",
        description_zh=(
            "统计周期内被触达的用户中，在其周期内首次触达后 24 小时内"
            "（[首次触达, 首次触达 + 24 小时)）在本店有活跃行为"
            "（进店、看直播、看短视频、领取权益、积分互动或下单）的人数 ÷ 触达人数；"
            "触达人数为 0 时为空。"
        ),
        description_en=(
            "Users reached in the period with an activity at the shop (shop visit, live watch, "
            "video watch, benefit claim, points interaction, or order) within 24 hours of their "
            "first message in the period, [first send, first send + 24h), divided by reached "
            "users; null when no one was reached."
        ),
        dimensions=REACH_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REACH_CONVERSION_RATE,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="触达7日转化率",
        label_en="7-day conversion rate",
        description_zh=(
            "统计周期内被触达的用户中，在其周期内首次触达后 7 天内（[首次触达, 首次触达 + 7 天)）"
            "在本店下单的人数 ÷ 触达人数；触达人数为 0 时为空。"
        ),
        description_en=(
            "Users reached in the period with an order at the shop within 7 days of their "
            "first message in the period, [first send, first send + 7d), divided by reached "
            "users; null when no one was reached."
        ),
        dimensions=REACH_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REACH_GMV,
        group=_GROUP,
        unit=Unit.MONEY,
        higher_is_better=True,
        label_zh="触达7日成交金额",
        label_en="7-day outreach GMV",
        description_zh=(
            "统计周期内被触达的用户在其周期内首次触达后 7 天内（[首次触达, 首次触达 + 7 天)）"
            "在本店支付的全部订单的实付金额之和（元）；窗口可延伸到统计周期之后。"
        ),
        description_en=(
            "Amount paid, in yuan, for all orders at the shop that users reached in the period "
            "paid within 7 days of their first message in the period, [first send, first send "
            "+ 7d); the window may run past the period's end."
        ),
        dimensions=REACH_DIMENSIONS,
    ),
    MetricSpec(
        metric=Metric.REACH_ROI,
        group=_GROUP,
        unit=Unit.RATIO,
        higher_is_better=True,
        label_zh="触达ROI",
        label_en="Outreach ROI",
        description_zh=(
            "触达7日成交金额 ÷ 统计周期内有消息发送的本店触达活动的成本之和；成本为 0 时为空。"
        ),
        description_en=(
            "7-day outreach GMV divided by the total cost of the shop's campaigns that sent a "
            "message in the period; null when that cost is 0."
        ),
        dimensions=dimension_set(Dimension.REACH_CHANNEL),
    ),
)
