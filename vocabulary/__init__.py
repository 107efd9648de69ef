"""The closed code lists of the interchange files (SPEC §1, §4), with display labels for
channels, and the event types that count as activity.

They are the product's words, not any one room's: the loader checks files against them,
the table models index by them, the metric engine and the segment compiler filter facts
by them, and the channel fields list them. So they stand below every package, in a module
that imports nothing, and each package takes them from here.
"""

from __future__ import annotations

from typing import Final

GENDERS: Final = ("female", "male")
AGE_BANDS: Final = ("18-23", "24-30", "31-40", "41-50", "50+")
CROWDS: Final = (
    "gen_z",
    "urban_white_collar",
    "refined_mom",
    "senior_middle_class",
    "urban_blue_collar",
    "small_town_youth",
    "urban_senior",
    "small_town_senior",
)
JOIN_CHANNELS: Final = (
    "live",
    "short_video",
    "product_card",
    "shop_page",
    "order_page",
    "creator",
    "campaign",
    "other",
)
CARRIERS: Final = ("live", "short_video", "product_card")
TRAFFIC_TYPES: Final = ("organic", "paid")
ENTRIES: Final = ("search", "shop_page", "feed", "showcase", "cart", "other")
EVENT_TYPES: Final = (
    "shop_visit",
    "live_watch",
    "video_watch",
    "product_impression",
    "product_click",
    "add_to_cart",
    "benefit_claim",
    "points_interaction",
)
BENEFIT_KINDS: Final = (
    "new_member_gift",
    "member_coupon",
    "member_discount",
    "member_gift_with_purchase",
    "points_exchange",
    "priority_purchase",
    "member_price",
)
REACH_CHANNELS: Final = ("sms", "super_sms", "private_message", "push")
# The event types that count as activity (SPEC §3), with orders; as a SQL list too, for the
# statements and the partial index on events that filter by it.
ACTIVITY_TYPES: Final = (
    "shop_visit",
    "live_watch",
    "video_watch",
    "benefit_claim",
    "points_interaction",
)
ACTIVITY_TYPES_SQL: Final = ", ".join(f"'{code}'" for code in ACTIVITY_TYPES)
UNKNOWN: Final = "unknown"

# (zh, en) labels of every channel code, by channel kind.
CHANNEL_LABELS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "JOIN_CHANNEL": {
        "live": ("直播", "Live"),
        "short_video": ("短视频", "Short video"),
        "product_card": ("商品卡", "Product card"),
        "shop_page": ("店铺页", "Shop page"),
        "order_page": ("订单页", "Order page"),
        "creator": ("达人", "Creator"),
        "campaign": ("营销活动", "Campaign"),
        "other": ("其他", "Other"),
    },
    "CARRIER": {
        "live": ("直播", "Live"),
        "short_video": ("短视频", "Short video"),
        "product_card": ("商品卡", "Product card"),
    },
    "TRAFFIC_TYPE": {
        "organic": ("自然流量", "Organic"),
        "paid": ("付费流量", "Paid"),
    },
    "ENTRY": {
        "search": ("搜索", "Search"),
        "shop_page": ("店铺页", "Shop page"),
        "feed": ("推荐feed", "Feed"),
        "showcase": ("橱窗", "Showcase"),
        "cart": ("购物车", "Cart"),
        "other": ("其他", "Other"),
    },
    "REACH_CHANNEL": {
        "sms": ("短信", "SMS"),
        "super_sms": ("超级短信", "Super SMS"),
        "private_message": ("私信", "Private message"),
        "push": ("推送", "Push"),
    },
}
