"""Validation of each leaf rule's fields, producing the leaf's JSON form."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

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
from vocabulary import (
    AGE_BANDS,
    CARRIERS,
    CROWDS,
    EVENT_TYPES,
    GENDERS,
    JOIN_CHANNELS,
    UNKNOWN,
)

Table = Literal["product", "campaign", "creator"]


@dataclass(frozen=True)
class Reference:
    """An id the rule names, checked against the database once the whole rule is read."""

    path: str
    table: Table
    value: str


@dataclass
class References:
    """Every id of one rule, in the order they appear."""

    items: list[Reference] = field(default_factory=list)


class LeafForm:
    """One leaf's fields: each check raises ``BadUserInput`` naming the field's path, and
    each valid field given (not null) lands in ``json`` under its GraphQL name."""

    def __init__(self, path: str, references: References) -> None:
        self.path = path
        self.references = references
        self.json: dict[str, Any] = {}

    def _fail(self, key: str, message: str) -> BadUserInput:
        return BadUserInput(f"{self.path}.{key}: {message}")

    def flag(self, key: str, value: bool | None) -> None:
        if value is not None:
            self.json[key] = value

    def window(self, key: str, value: int | None) -> None:
        """A number of days: at least 1."""
        if value is None:
            return
        if value < 1:
            raise self._fail(key, f"must be at least 1 day, not {value}")
        self.json[key] = value

    def count(self, key: str, value: int | None) -> None:
        """A count or a number of days that may be 0."""
        if value is None:
            return
        if value < 0:
            raise self._fail(key, f"must not be negative, not {value}")
        self.json[key] = value

    def money(self, key: str, value: float | None) -> None:
        """Yuan, kept as the JSON number the caller sent (whole amounts as integers)."""
        if value is None:
            return
        if not math.isfinite(value):
            raise self._fail(key, f"must be a finite number, not {value}")
        if value < 0:
            raise self._fail(key, f"must not be negative, not {value}")
        self.json[key] = int(value) if float(value).is_integer() else value

    def ordered(self, low_key: str, high_key: str, *, low_default: float | None = None) -> None:
        """The lower bound (or its default) must not exceed the upper bound."""
        low = self.json.get(low_key, low_default)
        high = self.json.get(high_key)
        if low is not None and high is not None and low > high:
            raise self._fail(low_key, f"{low} is more than {high_key} ({high})")

    def _items(self, key: str, values: Sequence[str] | None) -> list[str] | None:
        if values is None:
            return None
        if not values:
            raise self._fail(key, "must not be empty")
        return [str(value) for value in values]

    def codes(
        self, key: str, values: Sequence[str] | None, allowed: Sequence[str], noun: str
    ) -> None:
        """Codes of a closed list."""
        items = self._items(key, values)
        if items is None:
            return
        for index, item in enumerate(items):
            if item not in allowed:
                raise self._fail(
                    f"{key}[{index}]", f"unknown {noun} {item!r} (one of {', '.join(allowed)})"
                )
        self.json[key] = items

    def names(self, key: str, values: Sequence[StrEnum] | None) -> None:
        """Values of a GraphQL enum (already checked by the schema), by name."""
        if values is None:
            return
        self.json[key] = self._items(key, [value.value for value in values])

    def texts(self, key: str, values: Sequence[str] | None) -> None:
        """Free text values (categories, provinces): any non-empty string."""
        items = self._items(key, values)
        if items is None:
            return
        for index, item in enumerate(items):
            if not item:
                raise self._fail(f"{key}[{index}]", "must not be empty")
        self.json[key] = items

    def ids(self, key: str, values: Sequence[str] | None, table: Table) -> None:
        """Ids whose existence is checked later, with the rest of the rule's ids."""
        items = self._items(key, values)
        if items is None:
            return
        for index, item in enumerate(items):
            self.references.items.append(Reference(f"{self.path}.{key}[{index}]", table, item))
        self.json[key] = items

    def require_some(self, keys: Sequence[str]) -> None:
        """At least one of the fields is given: an empty rule of this kind is a mistake."""
        if not self.json:
            raise BadUserInput(f"{self.path}: give at least one of {', '.join(keys)}")


def _with_unknown(codes: Sequence[str]) -> tuple[str, ...]:
    return (*codes, UNKNOWN)


def member_form(rule: MemberRuleInput, form: LeafForm) -> None:
    form.flag("isMember", rule.is_member)
    form.window("joinedWithinDays", rule.joined_within_days)
    form.codes("joinChannels", rule.join_channels, JOIN_CHANNELS, "join channel")
    form.names("statuses", rule.statuses)
    form.require_some(("isMember", "joinedWithinDays", "joinChannels", "statuses"))


def purchased_form(rule: PurchasedRuleInput, form: LeafForm) -> None:
    form.window("withinDays", rule.within_days)
    form.ids("productIds", rule.product_ids, "product")
    form.texts("categories", rule.categories)
    form.ids("creatorIds", rule.creator_ids, "creator")
    form.codes("carriers", rule.carriers, CARRIERS, "carrier")
    form.count("minOrders", rule.min_orders)
    form.count("maxOrders", rule.max_orders)
    form.money("minAmount", rule.min_amount)
    form.money("maxAmount", rule.max_amount)
    form.ordered("minOrders", "maxOrders", low_default=1)
    form.ordered("minAmount", "maxAmount")


def rfm_form(rule: RfmRuleInput, form: LeafForm) -> None:
    form.window("windowDays", rule.window_days)
    form.count("recencyDaysMin", rule.recency_days_min)
    form.count("recencyDaysMax", rule.recency_days_max)
    form.count("frequencyMin", rule.frequency_min)
    form.count("frequencyMax", rule.frequency_max)
    form.money("monetaryMin", rule.monetary_min)
    form.money("monetaryMax", rule.monetary_max)
    form.ordered("recencyDaysMin", "recencyDaysMax")
    form.ordered("frequencyMin", "frequencyMax")
    form.ordered("monetaryMin", "monetaryMax")


def activity_form(rule: ActivityRuleInput, form: LeafForm) -> None:
    form.codes("types", rule.types, EVENT_TYPES, "event type")
    form.window("withinDays", rule.within_days)
    form.count("minCount", rule.min_count)


def profile_form(rule: ProfileRuleInput, form: LeafForm) -> None:
    form.codes("genders", rule.genders, _with_unknown(GENDERS), "gender")
    form.codes("ageBands", rule.age_bands, _with_unknown(AGE_BANDS), "age band")
    form.texts("provinces", rule.provinces)
    form.codes("crowds", rule.crowds, _with_unknown(CROWDS), "crowd")
    form.require_some(("genders", "ageBands", "provinces", "crowds"))


def fan_form(rule: FanRuleInput, form: LeafForm) -> None:
    form.flag("isFan", rule.is_fan)


def reached_form(rule: ReachedRuleInput, form: LeafForm) -> None:
    form.ids("campaignIds", rule.campaign_ids, "campaign")
    form.window("withinDays", rule.within_days)


# The leaf kinds by their GraphQL name, with the validator of their fields.
LEAF_FORMS: dict[str, Callable[[Any, LeafForm], None]] = {
    "member": member_form,
    "purchased": purchased_form,
    "rfm": rfm_form,
    "activity": activity_form,
    "profile": profile_form,
    "fan": fan_form,
    "reached": reached_form,
}
