"""Each metric as a formula over the bases the fact statements return."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from resolvers.catalogue import Metric
from resolvers.engine.families import Bases

Value = Decimal | None
ZERO = Decimal(0)


@dataclass(frozen=True)
class Formula:
    """A metric's value from its bases; a ratio is null when its denominator is 0."""

    bases: tuple[str, ...]
    compute: Callable[[Mapping[str, Decimal]], Value]


def _base(name: str) -> Formula:
    return Formula((name,), lambda b: b.get(name, ZERO))


def _ratio(numerator: str, denominator: str) -> Formula:
    def compute(b: Mapping[str, Decimal]) -> Value:
        below = b.get(denominator, ZERO)
        return b.get(numerator, ZERO) / below if below else None

    return Formula((numerator, denominator), compute)


def _difference(left: str, right: str) -> Formula:
    return Formula((left, right), lambda b: b.get(left, ZERO) - b.get(right, ZERO))


def _effective(b: Mapping[str, Decimal]) -> Value:
    return b.get("quality_members", ZERO) + b.get("potential_members", ZERO)


def _quality_share(b: Mapping[str, Decimal]) -> Value:
    effective = _effective(b)
    return b.get("quality_members", ZERO) / effective if effective else None


FORMULAS: dict[Metric, Formula] = {
    Metric.MEMBER_COUNT: _base("member_count"),
    Metric.NEW_MEMBERS: _base("new_members"),
    Metric.LEFT_MEMBERS: _base("left_members"),
    Metric.NET_NEW_MEMBERS: _difference("new_members", "left_members"),
    Metric.GMV: _base("gmv"),
    Metric.NET_GMV: _base("net_gmv"),
    Metric.REFUND_RATE: _ratio("refunds", "gmv"),
    Metric.ORDERS: _base("orders"),
    Metric.BUYERS: _base("buyers"),
    Metric.AOV: _ratio("gmv", "buyers"),
    Metric.REPURCHASE_RATE: _ratio("repeat_buyers", "buyers"),
    Metric.MEMBER_GMV: _base("member_gmv"),
    Metric.MEMBER_GMV_SHARE: _ratio("member_gmv", "gmv"),
    Metric.MEMBER_ORDERS: _base("member_orders"),
    Metric.MEMBER_BUYERS: _base("member_buyers"),
    Metric.MEMBER_BUYER_SHARE: _ratio("member_buyers", "buyers"),
    Metric.MEMBER_AOV: _ratio("member_gmv", "member_buyers"),
    Metric.MEMBER_REPURCHASE_RATE: _ratio("member_repeat_buyers", "member_buyers"),
    Metric.ACTIVE_MEMBERS: _base("active_members"),
    Metric.ACTIVE_MEMBER_RATE: _ratio("active_members", "member_count"),
    Metric.MONTHLY_ACTIVE_RATE: _ratio("monthly_active_members", "member_count"),
    Metric.BENEFIT_CLAIMS: _base("benefit_claims"),
    Metric.BENEFIT_CLAIMERS: _base("benefit_claimers"),
    Metric.BENEFIT_USERS: _base("benefit_users"),
    Metric.BENEFIT_PENETRATION: _ratio("benefit_users", "member_buyers"),
    Metric.BENEFIT_ONLINE_DAYS: _base("benefit_online_days"),
    Metric.REACHED_USERS: _base("reached_users"),
    Metric.REACH_VISIT_RATE: _ratio("visited_users", "reached_users"),
    Metric.REACH_CONVERSION_RATE: _ratio("converted_users", "reached_users"),
    Metric.REACH_GMV: _base("reach_gmv"),
    Metric.REACH_ROI: _ratio("reach_gmv", "campaign_cost"),
    Metric.QUALITY_MEMBERS: _base("quality_members"),
    Metric.POTENTIAL_MEMBERS: _base("potential_members"),
    Metric.EFFECTIVE_MEMBERS: Formula(("quality_members", "potential_members"), _effective),
    Metric.QUALITY_SHARE: Formula(("quality_members", "potential_members"), _quality_share),
    Metric.AUDIENCE_USERS: _base("audience_users"),
    Metric.HIGH_POTENTIAL_USERS: _base("high_potential_users"),
    Metric.FIRST_ORDER_USERS: _base("first_order_users"),
    Metric.REPEAT_USERS: _base("repeat_users"),
    Metric.FAN_GMV_SHARE: _ratio("fan_gmv", "gmv"),
    Metric.CARD_IMPRESSION_USERS: _base("card_impression_users"),
    Metric.CARD_CLICK_USERS: _base("card_click_users"),
    Metric.CARD_CLICKS: _base("card_clicks"),
    Metric.CARD_CTR: _ratio("card_click_users", "card_impression_users"),
    Metric.CARD_CLICKS_PER_USER: _ratio("card_clicks", "card_click_users"),
    Metric.CARD_NEW_CLICK_SHARE: _ratio("card_new_click_users", "card_click_users"),
    Metric.CARD_GMV: _base("card_gmv"),
    Metric.CARD_BUYERS: _base("card_buyers"),
    Metric.CARD_CONVERSION_RATE: _ratio("card_buyers", "card_click_users"),
    Metric.CARD_UV_VALUE: _ratio("card_gmv", "card_click_users"),
    Metric.LOST_USERS: _base("lost_users"),
}


def bases_for(metrics: list[Metric]) -> set[str]:
    """The bases the metrics' formulas read."""
    return {base for metric in metrics for base in FORMULAS[metric].bases}


def value_of(bases: Bases, window_id: int, key: str, metric: Metric) -> Value:
    """A metric's value in one window on one slice key, from the bases read."""
    return FORMULAS[metric].compute(bases.get((window_id, key), {}))


def figure_set(bases: Bases, window_ids: Iterable[int], key: str, metric: Metric) -> list[Decimal]:
    """The metric's values in the windows on one slice key, such as a peer group's: the
    non-null ones (a window whose ratio has nothing below it has no figure)."""
    values = (value_of(bases, window_id, key, metric) for window_id in window_ids)
    return [value for value in values if value is not None]
