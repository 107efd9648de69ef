"""The JSON form of rules: what is stored, and that it compiles after a JSONB round trip."""

from __future__ import annotations

import json

import asyncpg
import pytest

from resolvers.errors import BadUserInput
from resolvers.member_status import MemberStatus
from resolvers.segments.rules import parse_rule
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
from tests.resolvers.segments.rule_fixture import CR, SHOP, K, P, W, matching, parse

FAN = Rule(fan=FanRuleInput(is_fan=True))


async def test_json_form_mirrors_the_input_without_unset_fields(data: asyncpg.Pool) -> None:
    rule = Rule(
        all_=[
            Rule(purchased=PurchasedRuleInput(product_ids=["p1"], within_days=90, min_amount=99.9)),
            Rule(not_=Rule(purchased=PurchasedRuleInput(product_ids=[P], within_days=90))),
            Rule(
                any_=[
                    Rule(member=MemberRuleInput(is_member=True, statuses=[MemberStatus.QUALITY])),
                    Rule(rfm=RfmRuleInput(recency_days_max=30, monetary_min=1000.0)),
                    Rule(activity=ActivityRuleInput(types=["shop_visit"])),
                    Rule(profile=ProfileRuleInput(crowds=["gen_z", "unknown"])),
                    Rule(reached=ReachedRuleInput(campaign_ids=[K], within_days=7)),
                    FAN,
                ]
            ),
        ]
    )
    assert await parse(data, rule) == {
        "all": [
            {
                "purchased": {
                    "withinDays": 90,
                    "productIds": ["p1"],
                    "minOrders": 1,
                    "minAmount": 99.9,
                }
            },
            {"not": {"purchased": {"withinDays": 90, "productIds": [P], "minOrders": 1}}},
            {
                "any": [
                    {"member": {"isMember": True, "statuses": ["QUALITY"]}},
                    {"rfm": {"windowDays": 365, "recencyDaysMax": 30, "monetaryMin": 1000}},
                    {"activity": {"types": ["shop_visit"], "minCount": 1}},
                    {"profile": {"crowds": ["gen_z", "unknown"]}},
                    {"reached": {"campaignIds": [K], "withinDays": 7}},
                    {"fan": {"isFan": True}},
                ]
            },
        ]
    }


async def test_stored_form_compiles_after_a_jsonb_round_trip(data: asyncpg.Pool) -> None:
    """The odd product from the odd creator, at most 19.90, and reached by K: W alone,
    also once the form is read back from JSONB."""
    rule = Rule(
        all_=[
            Rule(purchased=PurchasedRuleInput(product_ids=[P], creator_ids=[CR], max_amount=19.9)),
            Rule(reached=ReachedRuleInput(campaign_ids=[K])),
        ]
    )
    form = await parse(data, rule)
    stored = await data.fetchval("SELECT $1::jsonb::text", json.dumps(form))
    assert await matching(data, json.loads(stored)) == [W]


async def test_argument_names_the_root_of_the_path(data: asyncpg.Pool) -> None:
    with pytest.raises(BadUserInput) as error:
        await parse_rule(data, SHOP, Rule(not_=Rule()), max_depth=8, argument="input.rule")
    assert str(error.value).startswith("input.rule.not: exactly one rule kind is needed")


async def test_valid_rules_need_no_statement_without_ids(db: asyncpg.Pool) -> None:
    """Without ids the rule is checked in memory: no shop data needed."""
    rule = Rule(purchased=PurchasedRuleInput(within_days=7, min_orders=0, max_orders=0))
    assert await parse(db, rule) == {"purchased": {"withinDays": 7, "minOrders": 0, "maxOrders": 0}}
    assert await parse(db, Rule(activity=ActivityRuleInput(min_count=0))) == {
        "activity": {"minCount": 0}
    }
