"""The segment rule language (SPEC §6) as GraphQL inputs: a tree of exactly-one-kind nodes."""

from __future__ import annotations

import strawberry

from resolvers.member_status import MemberStatus
from schema import enums as _enums  # noqa: F401 (registers MemberStatus as a GraphQL enum)

WITHIN_DAYS = "The N days ending with the as-of day, that day included."


@strawberry.input(description="Membership at the as-of day; each given field must hold.")
class MemberRuleInput:
    is_member: bool | None = strawberry.field(
        default=None, description="Is (true) or is not (false) a member at the as-of day."
    )
    joined_within_days: int | None = strawberry.field(
        default=None, description="Has a stint that started within these N days."
    )
    join_channels: list[str] | None = strawberry.field(
        default=None, description="The stint in force joined via one of these channel codes."
    )
    statuses: list[MemberStatus] | None = strawberry.field(
        default=None, description="Status at the as-of day is one of these."
    )


@strawberry.input(
    description="Orders within the window that match every given filter, with their count "
    "and amount sum within the bounds."
)
class PurchasedRuleInput:
    within_days: int | None = strawberry.field(
        default=None, description=WITHIN_DAYS + " Omitted: every order before the as-of end."
    )
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Orders of one of these products of the shop."
    )
    categories: list[str] | None = strawberry.field(
        default=None, description="Orders of a product in one of these categories."
    )
    creator_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Orders sold by one of these creators."
    )
    carriers: list[str] | None = strawberry.field(
        default=None, description="Orders on one of these carriers (live, short_video, …)."
    )
    min_orders: int | None = strawberry.field(
        default=1, description="Fewest matching orders; 0 also matches customers with none."
    )
    max_orders: int | None = strawberry.field(
        default=None, description="Most matching orders, included."
    )
    min_amount: float | None = strawberry.field(
        default=None, description="Least amount sum of the matching orders, in yuan."
    )
    max_amount: float | None = strawberry.field(
        default=None, description="Greatest amount sum of the matching orders, in yuan."
    )


@strawberry.input(
    description="At least one order in the window; recency, frequency and monetary value "
    "within the bounds (each bound included)."
)
class RfmRuleInput:
    window_days: int | None = strawberry.field(
        default=365, description="The window: " + WITHIN_DAYS
    )
    recency_days_min: int | None = strawberry.field(
        default=None,
        description="Whole days from the last order's day to the as-of day, 0 "
        "when bought on it: at least this.",
    )
    recency_days_max: int | None = strawberry.field(default=None, description="At most this.")
    frequency_min: int | None = strawberry.field(
        default=None, description="Orders in the window: at least this."
    )
    frequency_max: int | None = strawberry.field(default=None, description="At most this.")
    monetary_min: float | None = strawberry.field(
        default=None, description="Amount sum of the orders in the window, yuan: at least this."
    )
    monetary_max: float | None = strawberry.field(default=None, description="At most this.")


@strawberry.input(description="At least minCount events of the given types within the window.")
class ActivityRuleInput:
    types: list[str] | None = strawberry.field(
        default=None,
        description="Event type codes. Omitted: the activity events (shop_visit, live_watch, "
        "video_watch, benefit_claim, points_interaction).",
    )
    within_days: int | None = strawberry.field(
        default=None, description=WITHIN_DAYS + " Omitted: every event before the as-of end."
    )
    min_count: int | None = strawberry.field(default=1, description="Fewest events.")


@strawberry.input(
    description="User attributes in the given lists; `unknown` matches a missing attribute."
)
class ProfileRuleInput:
    genders: list[str] | None = strawberry.field(
        default=None, description="Gender codes: female, male, unknown."
    )
    age_bands: list[str] | None = strawberry.field(
        default=None, description="Age bands: 18-23, 24-30, 31-40, 41-50, 50+, unknown."
    )
    provinces: list[str] | None = strawberry.field(
        default=None, description="Province names as loaded, or unknown."
    )
    crowds: list[str] | None = strawberry.field(
        default=None, description="Strategy crowd codes (gen_z, refined_mom, …), or unknown."
    )


@strawberry.input(description="Follows the shop's account at the as-of day, or not.")
class FanRuleInput:
    is_fan: bool = strawberry.field(description="Is (true) or is not (false) a fan.")


@strawberry.input(description="Was sent a message of the shop's campaigns within the window.")
class ReachedRuleInput:
    campaign_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these campaigns of the shop; omitted: any of them."
    )
    within_days: int | None = strawberry.field(
        default=None, description=WITHIN_DAYS + " Omitted: every send before the as-of end."
    )


@strawberry.input(
    description="A segment rule (SPEC §6): exactly one of the fields. all / any / not combine "
    "rules; the others select customers by one kind of fact, as of a day."
)
class SegmentRuleInput:
    all_: list[SegmentRuleInput] | None = strawberry.field(
        default=None, name="all", description="Customers matching every rule."
    )
    any_: list[SegmentRuleInput] | None = strawberry.field(
        default=None, name="any", description="Customers matching at least one rule."
    )
    not_: SegmentRuleInput | None = strawberry.field(
        default=None, name="not", description="The shop's customers not matching the rule."
    )
    member: MemberRuleInput | None = strawberry.field(
        default=None, description="By membership at the as-of day."
    )
    purchased: PurchasedRuleInput | None = strawberry.field(
        default=None, description="By the orders within a window."
    )
    rfm: RfmRuleInput | None = strawberry.field(
        default=None, description="By recency, frequency and monetary value."
    )
    activity: ActivityRuleInput | None = strawberry.field(
        default=None, description="By the events within a window."
    )
    profile: ProfileRuleInput | None = strawberry.field(
        default=None, description="By the user's attributes."
    )
    fan: FanRuleInput | None = strawberry.field(
        default=None, description="By following the shop's account at the as-of day."
    )
    reached: ReachedRuleInput | None = strawberry.field(
        default=None, description="By the outreach messages sent within a window."
    )
