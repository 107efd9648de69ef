"""Validation on save: every error, with the path of the rule it names."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from resolvers.errors import BadUserInput
from schema.segment_rule import (
    ActivityRuleInput,
    FanRuleInput,
    MemberRuleInput,
    ProfileRuleInput,
    PurchasedRuleInput,
    ReachedRuleInput,
    RfmRuleInput,
)
from schema.segment_rule import SegmentRuleInput as Rule
from tests.resolvers.segments.rule_fixture import P, parse

FAN = Rule(fan=FanRuleInput(is_fan=True))


def _message(error: pytest.ExceptionInfo[BadUserInput]) -> str:
    assert error.value.extensions == {"code": "BAD_USER_INPUT"}
    return str(error.value)


def purchased(**fields: Any) -> Rule:
    return Rule(purchased=PurchasedRuleInput(**fields))


INVALID: list[tuple[Rule, str]] = [
    (
        Rule(),
        "rule: exactly one rule kind is needed (all, any, not, member, purchased, rfm, "
        "activity, profile, fan, reached), none given",
    ),
    (
        Rule(fan=FanRuleInput(is_fan=True), member=MemberRuleInput(is_member=True)),
        "rule: exactly one rule kind is needed, got member and fan",
    ),
    (
        Rule(all_=[FAN], any_=[FAN], not_=FAN),
        "rule: exactly one rule kind is needed, got all, any and not",
    ),
    (
        Rule(all_=[FAN, Rule()]),
        "rule.all[1]: exactly one rule kind is needed (all, any, not, "
        "member, purchased, rfm, activity, profile, fan, reached), none given",
    ),
    (Rule(all_=[]), "rule.all: must not be empty"),
    (Rule(not_=Rule(any_=[])), "rule.not.any: must not be empty"),
    (purchased(product_ids=[]), "rule.purchased.productIds: must not be empty"),
    (purchased(categories=[]), "rule.purchased.categories: must not be empty"),
    (purchased(categories=["dress", ""]), "rule.purchased.categories[1]: must not be empty"),
    (
        Rule(member=MemberRuleInput(statuses=[])),
        "rule.member.statuses: must not be empty",
    ),
    (
        Rule(reached=ReachedRuleInput(campaign_ids=[])),
        "rule.reached.campaignIds: must not be empty",
    ),
    (
        Rule(profile=ProfileRuleInput(genders=[])),
        "rule.profile.genders: must not be empty",
    ),
    (
        Rule(member=MemberRuleInput()),
        "rule.member: give at least one of isMember, joinedWithinDays, joinChannels, statuses",
    ),
    (
        Rule(profile=ProfileRuleInput()),
        "rule.profile: give at least one of genders, ageBands, provinces, crowds",
    ),
    (
        purchased(carriers=["live", "tv"]),
        "rule.purchased.carriers[1]: unknown carrier 'tv' (one of live, short_video, product_card)",
    ),
    (
        Rule(member=MemberRuleInput(join_channels=["Live"])),
        "rule.member.joinChannels[0]: unknown join channel 'Live' (one of live, short_video, "
        "product_card, shop_page, order_page, creator, campaign, other)",
    ),
    (
        Rule(activity=ActivityRuleInput(types=["order"])),
        "rule.activity.types[0]: unknown event type 'order' (one of shop_visit, live_watch, "
        "video_watch, product_impression, product_click, add_to_cart, benefit_claim, "
        "points_interaction)",
    ),
    (
        Rule(profile=ProfileRuleInput(genders=["other"])),
        "rule.profile.genders[0]: unknown gender 'other' (one of female, male, unknown)",
    ),
    (
        Rule(profile=ProfileRuleInput(age_bands=["18-24"])),
        "rule.profile.ageBands[0]: unknown age band '18-24' (one of 18-23, 24-30, 31-40, "
        "41-50, 50+, unknown)",
    ),
    (
        Rule(profile=ProfileRuleInput(crowds=["gen_y"])),
        "rule.profile.crowds[0]: unknown crowd 'gen_y' (one of gen_z, urban_white_collar, "
        "refined_mom, senior_middle_class, urban_blue_collar, small_town_youth, "
        "urban_senior, small_town_senior, unknown)",
    ),
    (purchased(within_days=0), "rule.purchased.withinDays: must be at least 1 day, not 0"),
    (purchased(within_days=-3), "rule.purchased.withinDays: must be at least 1 day, not -3"),
    (
        Rule(member=MemberRuleInput(joined_within_days=0)),
        "rule.member.joinedWithinDays: must be at least 1 day, not 0",
    ),
    (
        Rule(rfm=RfmRuleInput(window_days=0)),
        "rule.rfm.windowDays: must be at least 1 day, not 0",
    ),
    (
        Rule(activity=ActivityRuleInput(within_days=-1)),
        "rule.activity.withinDays: must be at least 1 day, not -1",
    ),
    (
        Rule(reached=ReachedRuleInput(within_days=0)),
        "rule.reached.withinDays: must be at least 1 day, not 0",
    ),
    (
        purchased(min_orders=3, max_orders=2),
        "rule.purchased.minOrders: 3 is more than maxOrders (2)",
    ),
    # minOrders defaults to 1: "no orders" needs minOrders 0.
    (purchased(max_orders=0), "rule.purchased.minOrders: 1 is more than maxOrders (0)"),
    (
        purchased(min_orders=None, max_orders=0),
        "rule.purchased.minOrders: 1 is more than maxOrders (0)",
    ),
    (
        purchased(min_amount=100.5, max_amount=100),
        "rule.purchased.minAmount: 100.5 is more than maxAmount (100)",
    ),
    (
        Rule(rfm=RfmRuleInput(recency_days_min=10, recency_days_max=5)),
        "rule.rfm.recencyDaysMin: 10 is more than recencyDaysMax (5)",
    ),
    (
        Rule(rfm=RfmRuleInput(frequency_min=4, frequency_max=3)),
        "rule.rfm.frequencyMin: 4 is more than frequencyMax (3)",
    ),
    (
        Rule(rfm=RfmRuleInput(monetary_min=10, monetary_max=9.99)),
        "rule.rfm.monetaryMin: 10 is more than monetaryMax (9.99)",
    ),
    (purchased(min_orders=-1), "rule.purchased.minOrders: must not be negative, not -1"),
    (purchased(max_orders=-1), "rule.purchased.maxOrders: must not be negative, not -1"),
    (purchased(min_amount=-0.01), "rule.purchased.minAmount: must not be negative, not -0.01"),
    (
        purchased(max_amount=float("inf")),
        "rule.purchased.maxAmount: must be a finite number, not inf",
    ),
    (
        Rule(rfm=RfmRuleInput(recency_days_min=-1)),
        "rule.rfm.recencyDaysMin: must not be negative, not -1",
    ),
    (
        Rule(rfm=RfmRuleInput(frequency_max=-2)),
        "rule.rfm.frequencyMax: must not be negative, not -2",
    ),
    (
        Rule(rfm=RfmRuleInput(monetary_max=-5)),
        "rule.rfm.monetaryMax: must not be negative, not -5",
    ),
    (
        Rule(activity=ActivityRuleInput(min_count=-1)),
        "rule.activity.minCount: must not be negative, not -1",
    ),
    # Ids: products and campaigns of the shop, creators anywhere; the first missing one.
    (
        Rule(all_=[FAN, Rule(not_=purchased(product_ids=["p1", "x"]))]),
        "rule.all[1].not.purchased.productIds[1]: no product 'x' in shop 's1'",
    ),
    (
        Rule(all_=[FAN, Rule(not_=purchased(product_ids=["x"]))]),
        "rule.all[1].not.purchased.productIds[0]: no product 'x' in shop 's1'",
    ),
    (purchased(product_ids=["p9"]), "rule.purchased.productIds[0]: no product 'p9' in shop 's1'"),
    (purchased(product_ids=["P1"]), "rule.purchased.productIds[0]: no product 'P1' in shop 's1'"),
    (
        purchased(product_ids=[P + " "]),
        f"rule.purchased.productIds[0]: no product {P + ' '!r} in shop 's1'",
    ),
    (
        purchased(creator_ids=["c1", "nobody"]),
        "rule.purchased.creatorIds[1]: no creator 'nobody'",
    ),
    (
        Rule(reached=ReachedRuleInput(campaign_ids=["k9"])),
        "rule.reached.campaignIds[0]: no campaign 'k9' in shop 's1'",
    ),
    (
        Rule(
            any_=[
                Rule(reached=ReachedRuleInput(campaign_ids=["k1", "zz"])),
                purchased(product_ids=["yy"]),
            ]
        ),
        "rule.any[0].reached.campaignIds[1]: no campaign 'zz' in shop 's1'",
    ),
]


@pytest.mark.parametrize(("rule", "message"), INVALID, ids=[m for _, m in INVALID])
async def test_invalid_rule_names_its_path(data: asyncpg.Pool, rule: Rule, message: str) -> None:
    with pytest.raises(BadUserInput) as error:
        await parse(data, rule)
    assert _message(error) == message


async def test_shape_errors_come_before_unknown_ids(data: asyncpg.Pool) -> None:
    rule = Rule(all_=[purchased(product_ids=["x"]), purchased(within_days=0)])
    with pytest.raises(BadUserInput) as error:
        await parse(data, rule)
    assert _message(error) == "rule.all[1].purchased.withinDays: must be at least 1 day, not 0"


def _nested(levels: int) -> Rule:
    """``levels`` nodes: levels − 1 nots around a fan rule."""
    rule = FAN
    for _ in range(levels - 1):
        rule = Rule(not_=rule)
    return rule


async def test_depth_cap_names_the_first_node_too_deep(data: asyncpg.Pool) -> None:
    assert await parse(data, _nested(8)) is not None
    with pytest.raises(BadUserInput) as error:
        await parse(data, _nested(9))
    assert _message(error) == "rule" + ".not" * 8 + ": rules nest at most 8 deep"
    deep = Rule(all_=[FAN, Rule(any_=[FAN, Rule(not_=FAN)])])
    assert await parse(data, deep, max_depth=4) is not None
    with pytest.raises(BadUserInput) as error:
        await parse(data, deep, max_depth=3)
    assert _message(error) == "rule.all[1].any[1].not: rules nest at most 3 deep"
