"""The closed vocabularies of the metrics API.

Member names are the GraphQL enum values; member values are the lower-case codes used in
SQL and files.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Metric(StrEnum):
    """A catalogue metric; the value is its id in SPEC §3."""

    MEMBER_COUNT = "member_count"
    NEW_MEMBERS = "new_members"
    LEFT_MEMBERS = "left_members"
    NET_NEW_MEMBERS = "net_new_members"
    GMV = "gmv"
    NET_GMV = "net_gmv"
    REFUND_RATE = "refund_rate"
    ORDERS = "orders"
    BUYERS = "buyers"
    AOV = "aov"
    REPURCHASE_RATE = "repurchase_rate"
    MEMBER_GMV = "member_gmv"
    MEMBER_GMV_SHARE = "member_gmv_share"
    MEMBER_ORDERS = "member_orders"
    MEMBER_BUYERS = "member_buyers"
    MEMBER_BUYER_SHARE = "member_buyer_share"
    MEMBER_AOV = "member_aov"
    MEMBER_REPURCHASE_RATE = "member_repurchase_rate"
    ACTIVE_MEMBERS = "active_members"
    ACTIVE_MEMBER_RATE = "active_member_rate"
    MONTHLY_ACTIVE_RATE = "monthly_active_rate"
    BENEFIT_CLAIMS = "benefit_claims"
    BENEFIT_CLAIMERS = "benefit_claimers"
    BENEFIT_USERS = "benefit_users"
    BENEFIT_PENETRATION = "benefit_penetration"
    BENEFIT_ONLINE_DAYS = "benefit_online_days"
    REACHED_USERS = "reached_users"
    REACH_VISIT_RATE = "reach_visit_rate"
    REACH_CONVERSION_RATE = "reach_conversion_rate"
    REACH_GMV = "reach_gmv"
    REACH_ROI = "reach_roi"
    QUALITY_MEMBERS = "quality_members"
    POTENTIAL_MEMBERS = "potential_members"
    EFFECTIVE_MEMBERS = "effective_members"
    QUALITY_SHARE = "quality_share"
    AUDIENCE_USERS = "audience_users"
    HIGH_POTENTIAL_USERS = "high_potential_users"
    FIRST_ORDER_USERS = "first_order_users"
    REPEAT_USERS = "repeat_users"
    FAN_GMV_SHARE = "fan_gmv_share"
    CARD_IMPRESSION_USERS = "card_impression_users"
    CARD_CLICK_USERS = "card_click_users"
    CARD_CLICKS = "card_clicks"
    CARD_CTR = "card_ctr"
    CARD_CLICKS_PER_USER = "card_clicks_per_user"
    CARD_NEW_CLICK_SHARE = "card_new_click_share"
    CARD_GMV = "card_gmv"
    CARD_BUYERS = "card_buyers"
    CARD_CONVERSION_RATE = "card_conversion_rate"
    CARD_UV_VALUE = "card_uv_value"
    LOST_USERS = "lost_users"


class Unit(StrEnum):
    """What a metric's value measures."""

    COUNT = "count"
    MONEY = "money"
    RATIO = "ratio"
    DAYS = "days"


class Dimension(StrEnum):
    """A way to slice or break down a metric (SPEC §4)."""

    JOIN_CHANNEL = "join_channel"
    CARRIER = "carrier"
    TRAFFIC_TYPE = "traffic_type"
    ENTRY = "entry"
    REACH_CHANNEL = "reach_channel"
    PRODUCT = "product"
    CATEGORY = "category"
    CREATOR = "creator"
    GENDER = "gender"
    AGE_BAND = "age_band"
    PROVINCE = "province"
    CROWD = "crowd"
    FAN_STATUS = "fan_status"
    PRICE_BAND = "price_band"

    @property
    def zh(self) -> str:
        """Chinese label."""
        return _DIMENSION_LABELS[self][0]

    @property
    def en(self) -> str:
        """English label."""
        return _DIMENSION_LABELS[self][1]


# (zh, en) label of each dimension.
_DIMENSION_LABELS: Final[dict[Dimension, tuple[str, str]]] = {
    Dimension.JOIN_CHANNEL: ("入会渠道", "Join channel"),
    Dimension.CARRIER: ("成交载体", "Carrier"),
    Dimension.TRAFFIC_TYPE: ("流量类型", "Traffic type"),
    Dimension.ENTRY: ("商品卡入口", "Card entry"),
    Dimension.REACH_CHANNEL: ("触达渠道", "Outreach channel"),
    Dimension.PRODUCT: ("商品", "Product"),
    Dimension.CATEGORY: ("类目", "Category"),
    Dimension.CREATOR: ("达人", "Creator"),
    Dimension.GENDER: ("性别", "Gender"),
    Dimension.AGE_BAND: ("年龄段", "Age band"),
    Dimension.PROVINCE: ("省份", "Province"),
    Dimension.CROWD: ("策略人群", "Crowd"),
    Dimension.FAN_STATUS: ("粉丝身份", "Fan status"),
    Dimension.PRICE_BAND: ("价格带", "Price band"),
}


class MetricGroup(StrEnum):
    """A section of the metric catalogue (SPEC §3)."""

    MEMBER_SCALE = "member_scale"
    CONTRIBUTION = "contribution"
    ACTIVITY = "activity"
    BENEFITS = "benefits"
    OUTREACH = "outreach"
    RELATIONSHIP = "relationship"
    USER_ASSETS = "user_assets"
    PRODUCT_CARD = "product_card"

    @property
    def zh(self) -> str:
        """Chinese title."""
        return _GROUP_TITLES[self][0]

    @property
    def en(self) -> str:
        """English title."""
        return _GROUP_TITLES[self][1]


# (zh, en) title of each group.
_GROUP_TITLES: Final[dict[MetricGroup, tuple[str, str]]] = {
    MetricGroup.MEMBER_SCALE: ("会员规模", "Member scale"),
    MetricGroup.CONTRIBUTION: ("会员贡献", "Contribution"),
    MetricGroup.ACTIVITY: ("会员活跃", "Activity"),
    MetricGroup.BENEFITS: ("权益供给", "Benefits"),
    MetricGroup.OUTREACH: ("会员触达转化", "Outreach"),
    MetricGroup.RELATIONSHIP: ("会员关系", "Relationship quality"),
    MetricGroup.USER_ASSETS: ("用户资产", "User assets"),
    MetricGroup.PRODUCT_CARD: ("商品卡", "Product card"),
}


class ChannelKind(StrEnum):
    """The dimensions whose values are a shop's channels."""

    JOIN_CHANNEL = "join_channel"
    CARRIER = "carrier"
    TRAFFIC_TYPE = "traffic_type"
    ENTRY = "entry"
    REACH_CHANNEL = "reach_channel"


class ComparisonKind(StrEnum):
    """A reference value a metric result can be compared with (SPEC §5)."""

    PREVIOUS_PERIOD = "previous_period"
    SAME_PERIOD_LAST_YEAR = "same_period_last_year"
    PEER_AVERAGE = "peer_average"
    PEER_MEDIAN = "peer_median"
    PEER_EXCELLENT = "peer_excellent"
    INDUSTRY_AVERAGE = "industry_average"
    PEER_RANK = "peer_rank"
    TARGET = "target"


class Granularity(StrEnum):
    """The bucket size of a series; values are PostgreSQL ``date_trunc`` fields."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Lang(StrEnum):
    """A language of labels and descriptions."""

    ZH = "zh"
    EN = "en"


class PeriodPreset(StrEnum):
    """A named period relative to today in the business time zone (SPEC §2)."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
