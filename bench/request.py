"""The dashboard request the benchmark times: one screen's GraphQL document."""

from __future__ import annotations

import re
from pathlib import Path

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


QUERIES_DOC = Path(__file__).resolve().parents[1] / "docs" / "queries.md"
# A GraphQL block followed by its variables, as in tests/test_docs_queries.py.
DOC_BLOCK = re.compile(r"```graphql\n(.*?)```\n```json\n(.*?)```", re.DOTALL)
OPERATION = re.compile(r"^\s*query\s+(\w+)")
COMPARE_LIST = re.compile(r"compare:\s*\[([^\]]*)\]")

SCREENS = ("MemberDashboard", "MemberAssessment", "UserAssets", "ProductCardByEntry")
"""The screens of docs/queries.md a load run mixes, by operation name."""

PEER_KINDS = frozenset(
    ("PEER_AVERAGE", "PEER_EXCELLENT", "PEER_MEDIAN", "PEER_RANK", "INDUSTRY_AVERAGE")
)
"""The comparisons that read other shops' figures."""


def screen_documents(path: Path = QUERIES_DOC) -> dict[str, str]:
    """Every query of docs/queries.md by operation name (mutations left out)."""
    documents: dict[str, str] = {}
    for document, _variables in DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
        match = OPERATION.match(document)
        if match:
            documents[match.group(1)] = document
    return documents


def without_peers(document: str) -> str:
    """``document`` with the peer and industry comparisons taken out of every ``compare``."""

    def kept(match: re.Match[str]) -> str:
        kinds = [kind.strip() for kind in match.group(1).split(",")]
        return f"compare: [{', '.join(k for k in kinds if k and k not in PEER_KINDS)}]"

    return COMPARE_LIST.sub(kept, document)
