"""The committed schema.graphql is the schema the service serves."""

from __future__ import annotations

from pathlib import Path

from service.graphql import build_schema
from service.settings import Settings

COMMITTED = Path(__file__).parents[2] / "schema.graphql"


def test_committed_sdl_matches_the_schema(settings: Settings) -> None:
    # Regenerate with: memberlens schema > schema.graphql
    assert COMMITTED.read_text() == build_schema(settings).as_str() + "\n"


def test_core_names_of_the_contract_exist(settings: Settings) -> None:
    sdl = build_schema(settings).as_str()
    for line in (
        "shop(id: ID!): Shop",
        "shops(first: Int = 20, after: String = null): ShopConnection!",
        "metricDefinitions: [MetricDefinition!]!",
        "label(lang: Lang = ZH): String!",
        "description(lang: Lang = ZH): String!",
        "dimensions: [Dimension!]!",
        "higherIsBetter: Boolean!",
        "totalCount: Int!",
    ):
        assert line in sdl, line
