"""Table models: the one description of the database schema that migrations follow."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSTZMULTIRANGE
from sqlmodel import Field, SQLModel

from vocabulary import ACTIVITY_TYPES_SQL

MONEY = Numeric(14, 2)


def _ts(*, nullable: bool = False) -> Any:
    return Field(sa_type=DateTime(timezone=True), nullable=nullable)


def _ref(target: str, *, nullable: bool = False, primary_key: bool = False) -> Any:
    return Field(
        sa_column=Column(
            Text,
            ForeignKey(target),
            nullable=nullable,
            primary_key=primary_key,
        )
    )


def _fact_ref(target: str, *, nullable: bool = False, primary_key: bool = False) -> Any:
    """A fact table's reference: checked once a statement by triggers (migration 0021),
    not by a foreign key, which checks and locks the referenced row once a row."""
    return Field(
        sa_column=Column(
            Text,
            nullable=nullable,
            primary_key=primary_key,
            info={"references": target},
        )
    )


class Shop(SQLModel, table=True):
    __tablename__ = "shops"
    __table_args__ = (
        CheckConstraint("tier BETWEEN 1 AND 7", name="shops_tier_range"),
        Index("shops_industry_tier", "industry", "tier"),
    )
    shop_id: str = Field(primary_key=True)
    name: str
    industry: str
    tier: int = Field(sa_type=SmallInteger)
    opened_at: datetime | None = _ts(nullable=True)


class User(SQLModel, table=True):
    __tablename__ = "users"
    user_id: str = Field(primary_key=True)
    gender: str | None = None
    age_band: str | None = None
    province: str | None = None
    crowd: str | None = None


class Creator(SQLModel, table=True):
    __tablename__ = "creators"
    creator_id: str = Field(primary_key=True)
    name: str


class Product(SQLModel, table=True):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="products_price_nonnegative"),
        Index("products_shop", "shop_id"),
    )
    product_id: str = Field(primary_key=True)
    shop_id: str = _ref("shops.shop_id")
    name: str
    category: str
    price: Decimal = Field(sa_type=MONEY)
    listed_at: datetime | None = _ts(nullable=True)


class Member(SQLModel, table=True):
    """One membership stint: ``[joined_at, left_at)``."""

    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("left_at IS NULL OR left_at >= joined_at", name="members_stint_order"),
        Index("members_shop_joined", "shop_id", "joined_at"),
        Index("members_shop_left", "shop_id", "left_at"),
    )
    shop_id: str = _fact_ref("shops.shop_id", primary_key=True)
    user_id: str = _fact_ref("users.user_id", primary_key=True)
    joined_at: datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    join_channel: str
    left_at: datetime | None = _ts(nullable=True)


class Fan(SQLModel, table=True):
    """One follow stint of the shop's account: ``[followed_at, unfollowed_at)``."""

    __tablename__ = "fans"
    __table_args__ = (
        CheckConstraint(
            "unfollowed_at IS NULL OR unfollowed_at >= followed_at", name="fans_stint_order"
        ),
        Index("fans_shop_user", "shop_id", "user_id"),
    )
    shop_id: str = _fact_ref("shops.shop_id", primary_key=True)
    user_id: str = _fact_ref("users.user_id", primary_key=True)
    followed_at: datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    unfollowed_at: datetime | None = _ts(nullable=True)


class Benefit(SQLModel, table=True):
    __tablename__ = "benefits"
    __table_args__ = (Index("benefits_shop", "shop_id"),)
    benefit_id: str = Field(primary_key=True)
    shop_id: str = _ref("shops.shop_id")
    kind: str
    name: str
    online_from: datetime = _ts()
    online_to: datetime | None = _ts(nullable=True)


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("cost >= 0", name="campaigns_cost_nonnegative"),
        Index("campaigns_shop", "shop_id"),
    )
    campaign_id: str = Field(primary_key=True)
    shop_id: str = _ref("shops.shop_id")
    channel: str
    name: str
    cost: Decimal | None = Field(default=None, sa_type=MONEY)


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="orders_quantity_positive"),
        CheckConstraint("amount >= 0", name="orders_amount_nonnegative"),
        CheckConstraint(
            "refund_amount IS NULL OR (refund_amount >= 0 AND refund_amount <= amount)",
            name="orders_refund_within_amount",
        ),
        Index("orders_shop_paid", "shop_id", "paid_at"),
        Index("orders_shop_user_paid", "shop_id", "user_id", "paid_at"),
    )
    order_id: str = Field(primary_key=True)
    shop_id: str = _fact_ref("shops.shop_id")
    user_id: str = _fact_ref("users.user_id")
    product_id: str = _fact_ref("products.product_id")
    quantity: int = Field(sa_type=Integer)
    amount: Decimal = Field(sa_type=MONEY)
    paid_at: datetime = _ts()
    carrier: str
    traffic_type: str
    entry: str | None = None
    creator_id: str | None = _fact_ref("creators.creator_id", nullable=True)
    benefit_id: str | None = _fact_ref("benefits.benefit_id", nullable=True)
    refund_amount: Decimal | None = Field(default=None, sa_type=MONEY)
    refunded_at: datetime | None = _ts(nullable=True)


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        # A window's events by index only: the columns the event fact statement reads.
        Index(
            "events_shop_occurred",
            "shop_id",
            "occurred_at",
            postgresql_include=["user_id", "type", "carrier", "entry", "product_id"],
        ),
        Index("events_shop_user_occurred", "shop_id", "user_id", "occurred_at"),
        # Activity lookups ("last activity before E") skip impressions and clicks.
        Index(
            "events_activity_shop_user_occurred",
            "shop_id",
            "user_id",
            "occurred_at",
            postgresql_where=text(f"type IN ({ACTIVITY_TYPES_SQL})"),
        ),
    )
    event_id: str = Field(primary_key=True)
    shop_id: str = _fact_ref("shops.shop_id")
    user_id: str = _fact_ref("users.user_id")
    type: str
    occurred_at: datetime = _ts()
    product_id: str | None = _fact_ref("products.product_id", nullable=True)
    carrier: str | None = None
    entry: str | None = None
    benefit_id: str | None = _fact_ref("benefits.benefit_id", nullable=True)


class Reach(SQLModel, table=True):
    """One outreach message sent; ``shop_id`` is the campaign's, kept for per-shop scans."""

    __tablename__ = "reach"
    __table_args__ = (Index("reach_shop_sent", "shop_id", "sent_at"),)
    campaign_id: str = _fact_ref("campaigns.campaign_id", primary_key=True)
    user_id: str = _fact_ref("users.user_id", primary_key=True)
    sent_at: datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    shop_id: str = _fact_ref("shops.shop_id")


class ApiKey(SQLModel, table=True):
    """An API key; only the SHA-256 of its secret is kept."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("scope IN ('read', 'write', 'admin')", name="api_keys_scope"),
    )
    key_id: str = Field(primary_key=True)
    name: str
    scope: str
    shops: list[str] | None = Field(default=None, sa_column=Column(ARRAY(Text), nullable=True))
    secret_hash: str = Field(unique=True)
    created_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    )
    revoked_at: datetime | None = _ts(nullable=True)


class Segment(SQLModel, table=True):
    __tablename__ = "segments"
    __table_args__ = (Index("segments_shop", "shop_id"),)
    segment_id: str = Field(primary_key=True)
    shop_id: str = _ref("shops.shop_id")
    name: str
    rule: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    )
    updated_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    )


class SegmentExport(SQLModel, table=True):
    """An audience export link: the segment's rule and as-of day, frozen when it was made."""

    __tablename__ = "segment_exports"
    __table_args__ = (Index("segment_exports_segment", "segment_id"),)
    export_id: str = Field(primary_key=True)
    segment_id: str = Field(
        sa_column=Column(
            Text, ForeignKey("segments.segment_id", ondelete="CASCADE"), nullable=False
        )
    )
    shop_id: str = _ref("shops.shop_id")
    rule: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    as_of: date = Field(sa_type=Date)
    rows: int = Field(sa_type=Integer)
    expires_at: datetime = _ts()
    created_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    )


class KpiTarget(SQLModel, table=True):
    __tablename__ = "kpi_targets"
    shop_id: str = _ref("shops.shop_id", primary_key=True)
    metric: str = Field(primary_key=True)
    period_from: date = Field(sa_type=Date, primary_key=True)
    period_to: date = Field(sa_type=Date, primary_key=True)
    target: Decimal = Field(sa_type=Numeric)
    updated_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    )


class DataVersion(SQLModel, table=True):
    """One row: bumped by a trigger on every statement that changes a fact table."""

    __tablename__ = "data_version"
    singleton: bool = Field(primary_key=True)
    version: int = Field(sa_type=BigInteger)


class SetupVersion(SQLModel, table=True):
    """One row: bumped by a trigger on every statement that changes KPI targets, segments,
    segment exports or API keys."""

    __tablename__ = "setup_version"
    singleton: bool = Field(primary_key=True)
    version: int = Field(sa_type=BigInteger)


class PeerFigures(SQLModel, table=True):
    """A metric's figures over the shops of a peer group (``tier``) or of an industry
    (``tier`` 0), for one period and slice, at one data version (migration 0009)."""

    __tablename__ = "peer_figures"
    __table_args__ = (
        CheckConstraint("tier BETWEEN 0 AND 7", name="peer_figures_tier_range"),
        # the sets of older versions, which a writer removes (migration 0019)
        Index("peer_figures_industry_version", "industry", "version"),
    )
    industry: str = Field(sa_type=Text, primary_key=True)
    tier: int = Field(sa_type=SmallInteger, primary_key=True)
    metric: str = Field(sa_type=Text, primary_key=True)
    first_day: date = Field(sa_type=Date, primary_key=True)
    last_day: date = Field(sa_type=Date, primary_key=True)
    dimension: str = Field(sa_type=Text, primary_key=True)
    slice: str = Field(sa_type=Text, primary_key=True)
    version: int = Field(sa_type=BigInteger)
    shop_ids: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    tiers: list[int] = Field(sa_column=Column(ARRAY(SmallInteger), nullable=False))
    figures: list[Decimal | None] = Field(sa_column=Column(ARRAY(Numeric), nullable=False))


class OrderDayMeasures(SQLModel):
    """A buyer's orders on one business day and the buyer's earlier order days of each
    kind (any, by a member, with a benefit, on a product card)."""

    orders: int = Field(sa_type=Integer)
    gmv: Decimal = Field(sa_type=Numeric)
    refunds: Decimal = Field(sa_type=Numeric)
    member_orders: int = Field(sa_type=Integer)
    member_gmv: Decimal = Field(sa_type=Numeric)
    fan_gmv: Decimal = Field(sa_type=Numeric)
    card_orders: int = Field(sa_type=Integer)
    card_gmv: Decimal = Field(sa_type=Numeric)
    benefit_orders: int = Field(sa_type=Integer)
    prev_day: date | None = Field(default=None, sa_type=Date)
    prev2_day: date | None = Field(default=None, sa_type=Date)
    prev_single: bool | None = None
    member_prev_day: date | None = Field(default=None, sa_type=Date)
    member_prev2_day: date | None = Field(default=None, sa_type=Date)
    member_prev_single: bool | None = None
    benefit_prev_day: date | None = Field(default=None, sa_type=Date)
    card_prev_day: date | None = Field(default=None, sa_type=Date)


class OrderDay(OrderDayMeasures, table=True):
    """A buyer's orders at a shop on one business day, with the buyer's earlier order days
    of each kind (kept by triggers on orders, members and fans: migration 0006)."""

    __tablename__ = "order_days"
    __table_args__ = (Index("order_days_shop_user", "shop_id", "user_id"),)
    shop_id: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    user_id: str = Field(sa_type=Text, primary_key=True)


class OrderSliceDay(OrderDayMeasures, table=True):
    """A buyer's orders of one value of an order's dimension (``ENTRY``: a product-card
    entry) at a shop on one business day, each chain over the buyer's days of that value,
    and the previous day of the value or else an earlier first order day at the shop (kept
    by triggers on orders, members and fans: migration 0018)."""

    __tablename__ = "order_slice_days"
    __table_args__ = (Index("order_slice_days_shop_user", "shop_id", "user_id"),)
    shop_id: str = Field(sa_type=Text, primary_key=True)
    dimension: str = Field(sa_type=Text, primary_key=True)
    slice_key: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    user_id: str = Field(sa_type=Text, primary_key=True)
    returning_day: date | None = Field(default=None, sa_type=Date)


class ZonedState(SQLModel):
    """One row: the time zone an aggregate is kept in (null: not kept), and whether every
    shop's rows are built (only then are they read)."""

    singleton: bool = Field(primary_key=True)
    zone: str | None = Field(default=None, sa_type=Text)
    ready: bool


class OrderDaysState(ZonedState, table=True):
    """The state of ``order_days``."""

    __tablename__ = "order_days_state"


class MemberActivity(SQLModel, table=True):
    """A membership stint with its member's activity and order instants at the shop, each
    a one-instant range of a multirange (kept by triggers on members, events and orders:
    migration 0007)."""

    __tablename__ = "member_activity"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    user_id: str = Field(sa_type=Text, primary_key=True)
    joined_at: datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    left_at: datetime | None = _ts(nullable=True)
    join_channel: str = Field(sa_type=Text)
    activity_at: Any = Field(sa_type=TSTZMULTIRANGE)
    ordered_at: Any = Field(sa_type=TSTZMULTIRANGE)


class MemberActivityState(SQLModel, table=True):
    """One row: whether ``member_activity`` is kept by the triggers, and whether every
    shop's rows are built (only then are they read)."""

    __tablename__ = "member_activity_state"
    singleton: bool = Field(primary_key=True)
    kept: bool
    ready: bool


class MemberCounts(SQLModel):
    """Changes of a shop's member counts: in force, quality, potential, 30-day active."""

    members: int = Field(sa_type=Integer)
    quality_members: int = Field(sa_type=Integer)
    potential_members: int = Field(sa_type=Integer)
    monthly_active_members: int = Field(sa_type=Integer)


class MemberSteps(MemberCounts, table=True):
    """How a shop's member counts at the midnight starting ``day`` differ from those of the
    day before: a count at a day is the sum of its shop's rows up to that day (kept from
    the member activity: migration 0011)."""

    __tablename__ = "member_steps"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)


class MemberStepsState(ZonedState, table=True):
    """The state of ``member_steps`` and the tables kept with it."""

    __tablename__ = "member_steps_state"


class ShopOrderDayMeasures(SQLModel):
    """Order days of one business day summed, and each chain's previous days sorted
    (none: ``-infinity``)."""

    orders: int = Field(sa_type=Integer)
    gmv: Decimal = Field(sa_type=Numeric)
    refunds: Decimal = Field(sa_type=Numeric)
    member_orders: int = Field(sa_type=Integer)
    member_gmv: Decimal = Field(sa_type=Numeric)
    fan_gmv: Decimal = Field(sa_type=Numeric)
    card_gmv: Decimal = Field(sa_type=Numeric)
    prev_days: list[date] = Field(sa_type=ARRAY(Date))
    multi_prev_days: list[date] = Field(sa_type=ARRAY(Date))
    single_prev_days: list[date] = Field(sa_type=ARRAY(Date))
    single_prev2_days: list[date] = Field(sa_type=ARRAY(Date))
    member_prev_days: list[date] = Field(sa_type=ARRAY(Date))
    member_multi_prev_days: list[date] = Field(sa_type=ARRAY(Date))
    member_single_prev_days: list[date] = Field(sa_type=ARRAY(Date))
    member_single_prev2_days: list[date] = Field(sa_type=ARRAY(Date))
    benefit_prev_days: list[date] = Field(sa_type=ARRAY(Date))
    card_prev_days: list[date] = Field(sa_type=ARRAY(Date))


class ShopOrderDays(ShopOrderDayMeasures, table=True):
    """A shop's order days of one business day in one row: the additive measures summed,
    the buyers of their first order day, and each chain's previous days sorted (none:
    ``-infinity``), kept from the order days by triggers (migration 0012)."""

    __tablename__ = "shop_order_days"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    first_buyers: int = Field(sa_type=Integer)


class ShopOrderSliceDays(ShopOrderDayMeasures, table=True):
    """A shop's order slice days of one dimension, business day and value in one row, as
    the shop order days, with the returning days sorted in place of the first buyers
    (kept from the order slice days: migration 0018)."""

    __tablename__ = "shop_order_slice_days"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    dimension: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    slice_key: str = Field(sa_type=Text, primary_key=True)
    returning_days: list[date] = Field(sa_type=ARRAY(Date))


class OrderSliceDaysState(ZonedState, table=True):
    """The state of ``order_slice_days`` and ``shop_order_slice_days``."""

    __tablename__ = "order_slice_days_state"


class ShopOrderDaysState(ZonedState, table=True):
    """The state of ``shop_order_days``."""

    __tablename__ = "shop_order_days_state"


class MemberRecency(SQLModel, table=True):
    """For a shop and business day, the last activity days of the stints whose last
    activity day before the day's midnight changes there: from the day (``starts``) or no
    longer (``ends``), each sorted; kept with the member steps (migration 0013)."""

    __tablename__ = "member_recency"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    starts: list[date] = Field(sa_type=ARRAY(Date))
    ends: list[date] = Field(sa_type=ARRAY(Date))


class MemberStepMonths(MemberCounts, table=True):
    """The member steps of a shop summed over the calendar month starting ``month`` (kept
    with them: migration 0015)."""

    __tablename__ = "member_step_months"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    month: date = Field(sa_type=Date, primary_key=True)


class EventDays(SQLModel, table=True):
    """A user's events at a shop on one business day, in one slice (``''``: all events; a
    product-card entry: the card events of that entry): the day's counts and, for each
    set of users counted, the day deciding from which first day of a run the row counts
    the user (null: it does not), kept by triggers on events and order days (migrations
    0017, 0020)."""

    __tablename__ = "event_days"
    __table_args__ = (Index("event_days_shop_user_day", "shop_id", "user_id", "day"),)
    shop_id: str = Field(sa_type=Text, primary_key=True)
    slice_key: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    user_id: str = Field(sa_type=Text, primary_key=True)
    events: int = Field(sa_type=Integer)
    claims: int = Field(sa_type=Integer)
    card_clicks: int = Field(sa_type=Integer)
    claim_prev: date | None = Field(default=None, sa_type=Date)
    audience_prev: date | None = Field(default=None, sa_type=Date)
    seen_prev: date | None = Field(default=None, sa_type=Date)
    click_prev: date | None = Field(default=None, sa_type=Date)
    click_returning: date | None = Field(default=None, sa_type=Date)
    cob_prev: date | None = Field(default=None, sa_type=Date)
    lost_buy_prev: date | None = Field(default=None, sa_type=Date)
    hp_t0: date | None = Field(default=None, sa_type=Date)
    hp_t1: date | None = Field(default=None, sa_type=Date)
    hp_buy_prev: date | None = Field(default=None, sa_type=Date)


class ShopEventDays(SQLModel, table=True):
    """A shop's event days of one slice and business day in one row: the counts summed and
    each chain's days sorted, kept from the event days (migration 0017)."""

    __tablename__ = "shop_event_days"
    shop_id: str = Field(sa_type=Text, primary_key=True)
    slice_key: str = Field(sa_type=Text, primary_key=True)
    day: date = Field(sa_type=Date, primary_key=True)
    events: int = Field(sa_type=BigInteger)
    claims: int = Field(sa_type=BigInteger)
    card_clicks: int = Field(sa_type=BigInteger)
    claim_prevs: list[date] = Field(sa_type=ARRAY(Date))
    audience_prevs: list[date] = Field(sa_type=ARRAY(Date))
    seen_prevs: list[date] = Field(sa_type=ARRAY(Date))
    click_prevs: list[date] = Field(sa_type=ARRAY(Date))
    click_returnings: list[date] = Field(sa_type=ARRAY(Date))
    cob_prevs: list[date] = Field(sa_type=ARRAY(Date))
    lost_buy_prevs: list[date] = Field(sa_type=ARRAY(Date))
    hp_t0s: list[date] = Field(sa_type=ARRAY(Date))
    hp_t1s: list[date] = Field(sa_type=ARRAY(Date))
    hp_buy_prevs: list[date] = Field(sa_type=ARRAY(Date))


class EventDaysState(ZonedState, table=True):
    """The state of ``event_days`` and ``shop_event_days``."""

    __tablename__ = "event_days_state"
