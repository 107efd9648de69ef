"""The dashboard request the benchmark times: one screen's GraphQL document."""

from __future__ import annotations

METRICS = (
    "MEMBER_COUNT",
    "NEW_MEMBERS",
    "GMV",
    "MEMBER_GMV_SHARE",
    "BUYERS",
    "AOV",
    "REPURCHASE_RATE",
    "ACTIVE_MEMBER_RATE",
    "CARD_CTR",
    "REACH_CONVERSION_RATE",
)
COMPARE = ("PREVIOUS_PERIOD", "PEER_AVERAGE", "PEER_EXCELLENT")
SERIES = (("gmvDaily", "GMV"), ("membersDaily", "MEMBER_COUNT"))

METRICS_PART = f"""
    metrics(
      names: [{", ".join(METRICS)}]
      period: $period
      compare: [{", ".join(COMPARE)}]
    ) {{
      metric value unit
      comparisons {{ kind value change changeRatio peerCount unavailableReason }}
    }}"""
SERIES_PART = "".join(
    f"""
    {alias}: series(metric: {metric}, period: $period, granularity: DAY) {{
      start end value anomaly
    }}"""
    for alias, metric in SERIES
)


def dashboard_document(*, metrics: bool, series: bool) -> str:
    """One screen's request: the metric cards and, when asked, the two daily trends."""
    parts = (METRICS_PART if metrics else "") + (SERIES_PART if series else "")
    return f"""query Dashboard($shop: ID!, $period: PeriodInput!) {{
  shop(id: $shop) {{
    id name industry tier{parts}
  }}
}}"""


SHOP_FIELDS_QUERY = '{ __type(name: "Shop") { fields { name } } }'
