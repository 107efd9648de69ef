"""The metric catalogue against SPEC §3 and §4, and its generated reference doc."""

from __future__ import annotations

from pathlib import Path

import pytest

from resolvers.catalogue import CATALOGUE, Dimension, Metric, MetricGroup, Unit, definition
from resolvers.catalogue_doc import render_catalogue_doc

# (id, zh label) of every metric, in SPEC §3 order, copied from the spec.
SPEC_METRICS = [
    ("member_count", "会员总数"),
    ("new_members", "新增入会"),
    ("left_members", "退会人数"),
    ("net_new_members", "净增会员"),
    ("gmv", "成交金额"),
    ("net_gmv", "净成交金额"),
    ("refund_rate", "退款率"),
    ("orders", "成交订单数"),
    ("buyers", "成交人数"),
    ("aov", "客单价"),
    ("repurchase_rate", "复购率"),
    ("member_gmv", "会员成交金额"),
    ("member_gmv_share", "会员成交金额占比"),
    ("member_orders", "会员订单数"),
    ("member_buyers", "会员成交人数"),
    ("member_buyer_share", "会员成交人数占比"),
    ("member_aov", "会员客单价"),
    ("member_repurchase_rate", "会员复购率"),
    ("active_members", "活跃会员数"),
    ("active_member_rate", "活跃会员占比"),
    ("monthly_active_rate", "月会员活跃度"),
    ("benefit_claims", "权益领取次数"),
    ("benefit_claimers", "权益领取人数"),
    ("benefit_users", "权益使用人数"),
    ("benefit_penetration", "会员权益渗透率"),
    ("benefit_online_days", "权益在线天数"),
    ("reached_users", "触达人数"),
    ("reach_visit_rate", "触达24小时回访率"),
    ("reach_conversion_rate", "触达7日转化率"),
    ("reach_gmv", "触达7日成交金额"),
    ("reach_roi", "触达ROI"),
    ("quality_members", "优质会员数"),
    ("potential_members", "潜力会员数"),
    ("effective_members", "有效会员规模"),
    ("quality_share", "优质关系占比"),
    ("audience_users", "触达用户"),
    ("high_potential_users", "高潜用户"),
    ("first_order_users", "首单用户"),
    ("repeat_users", "复购用户"),
    ("fan_gmv_share", "粉丝贡献金额占比"),
    ("card_impression_users", "商品卡曝光人数"),
    ("card_click_users", "商品卡点击人数"),
    ("card_clicks", "商品卡点击次数"),
    ("card_ctr", "商品卡点击率"),
    ("card_clicks_per_user", "人均点击次数"),
    ("card_new_click_share", "新客点击占比"),
    ("card_gmv", "商品卡成交金额"),
    ("card_buyers", "商品卡成交人数"),
    ("card_conversion_rate", "点击-成交转化率"),
    ("card_uv_value", "UV价值"),
    ("lost_users", "流失用户"),
]

D = Dimension
USER = (D.GENDER, D.AGE_BAND, D.PROVINCE, D.CROWD)
ORDER = (
    D.CARRIER,
    D.TRAFFIC_TYPE,
    D.ENTRY,
    D.PRODUCT,
    D.CATEGORY,
    D.CREATOR,
    D.GENDER,
    D.AGE_BAND,
    D.PROVINCE,
    D.CROWD,
    D.FAN_STATUS,
    D.PRICE_BAND,
)
MEMBER = (D.JOIN_CHANNEL, *USER)
REACH = (D.REACH_CHANNEL, *USER)
CARD = (D.ENTRY, D.PRODUCT, D.CATEGORY, *USER)

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def test_catalogue_lists_the_spec_metrics_in_spec_order_with_their_zh_labels() -> None:
    assert len(SPEC_METRICS) == 51
    assert [(spec.metric.value, spec.label_zh) for spec in CATALOGUE.values()] == SPEC_METRICS
    assert list(CATALOGUE) == list(Metric)


def test_metric_names_are_the_upper_cased_ids() -> None:
    assert all(metric.name == metric.value.upper() for metric in Metric)


def test_definition_returns_the_catalogue_entry() -> None:
    assert definition(Metric.CARD_CTR) is CATALOGUE[Metric.CARD_CTR]
    assert all(definition(metric).metric is metric for metric in Metric)


@pytest.mark.parametrize(
    ("metric", "unit"),
    [
        (Metric.MEMBER_COUNT, Unit.COUNT),
        (Metric.NET_NEW_MEMBERS, Unit.COUNT),
        (Metric.REACHED_USERS, Unit.COUNT),
        (Metric.CARD_CLICKS, Unit.COUNT),
        (Metric.GMV, Unit.MONEY),
        (Metric.AOV, Unit.MONEY),
        (Metric.MEMBER_AOV, Unit.MONEY),
        (Metric.REACH_GMV, Unit.MONEY),
        (Metric.CARD_UV_VALUE, Unit.MONEY),
        (Metric.REFUND_RATE, Unit.RATIO),
        (Metric.MEMBER_GMV_SHARE, Unit.RATIO),
        (Metric.CARD_CTR, Unit.RATIO),
        (Metric.CARD_CLICKS_PER_USER, Unit.RATIO),
        (Metric.BENEFIT_PENETRATION, Unit.RATIO),
        (Metric.REACH_ROI, Unit.RATIO),
        (Metric.BENEFIT_ONLINE_DAYS, Unit.DAYS),
    ],
)
def test_unit(metric: Metric, unit: Unit) -> None:
    assert definition(metric).unit is unit


def test_rates_and_shares_are_ratios() -> None:
    for metric in Metric:
        if metric.value.endswith(("_rate", "_share")):
            assert definition(metric).unit is Unit.RATIO, metric


def test_only_refund_rate_left_members_and_lost_users_are_lower_is_better() -> None:
    lower = {spec.metric for spec in CATALOGUE.values() if not spec.higher_is_better}
    assert lower == {Metric.REFUND_RATE, Metric.LEFT_MEMBERS, Metric.LOST_USERS}


def test_every_metric_has_an_en_label_and_both_descriptions() -> None:
    for spec in CATALOGUE.values():
        assert spec.label_en.strip(), spec.metric
        assert spec.description_en.strip(), spec.metric
        assert spec.description_zh.strip(), spec.metric


def test_en_labels_are_distinct() -> None:
    labels = [spec.label_en for spec in CATALOGUE.values()]
    assert len(set(labels)) == len(labels)


def test_groups_follow_the_spec_sections() -> None:
    sizes = {
        group: sum(spec.group is group for spec in CATALOGUE.values()) for group in MetricGroup
    }
    assert list(sizes.values()) == [4, 14, 3, 5, 5, 4, 5, 11]
    assert definition(Metric.FAN_GMV_SHARE).group is MetricGroup.USER_ASSETS
    assert (MetricGroup.RELATIONSHIP.zh, MetricGroup.RELATIONSHIP.en) == (
        "会员关系",
        "Relationship quality",
    )


@pytest.mark.parametrize(
    ("metric", "dimensions"),
    [
        (Metric.MEMBER_COUNT, MEMBER),
        (Metric.MONTHLY_ACTIVE_RATE, MEMBER),
        (Metric.QUALITY_SHARE, MEMBER),
        (Metric.GMV, ORDER),
        (Metric.MEMBER_REPURCHASE_RATE, ORDER),
        (Metric.BENEFIT_CLAIMERS, USER),
        (Metric.BENEFIT_PENETRATION, ORDER),
        (Metric.BENEFIT_ONLINE_DAYS, ()),
        (Metric.REACH_GMV, REACH),
        (Metric.REACH_ROI, (D.REACH_CHANNEL,)),
        (Metric.AUDIENCE_USERS, USER),
        (Metric.FIRST_ORDER_USERS, ORDER),
        (Metric.FAN_GMV_SHARE, ORDER),
        (Metric.CARD_GMV, ORDER),
        (Metric.CARD_BUYERS, ORDER),
        (Metric.CARD_CTR, CARD),
        (Metric.CARD_CONVERSION_RATE, CARD),
        (Metric.LOST_USERS, CARD),
    ],
)
def test_dimensions(metric: Metric, dimensions: tuple[Dimension, ...]) -> None:
    assert definition(metric).dimensions == dimensions


def test_dimensions_are_in_enum_order() -> None:
    order = list(Dimension)
    for spec in CATALOGUE.values():
        positions = [order.index(dimension) for dimension in spec.dimensions]
        assert positions == sorted(set(positions)), spec.metric


def test_every_dimension_has_both_labels() -> None:
    for dimension in Dimension:
        assert dimension.zh.strip(), dimension
        assert dimension.en.strip(), dimension


def test_committed_doc_is_the_generator_output() -> None:
    assert DOC_PATH.read_bytes() == render_catalogue_doc().encode("utf-8"), (
        "docs/metrics.md is stale: run python -m resolvers.catalogue_doc > docs/metrics.md"
    )
