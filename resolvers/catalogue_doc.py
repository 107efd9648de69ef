"""Renders the metric catalogue as Markdown: ``python -m resolvers.catalogue_doc``.

The output is committed as ``docs/metrics.md``; a test keeps the two identical.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from resolvers.catalogue import CATALOGUE, Dimension, MetricGroup, MetricSpec

_INTRO = """\
# Metric catalogue

Every metric the API serves, as `metricDefinitions` returns it. This file is generated
from `resolvers/catalogue` by `python -m resolvers.catalogue_doc > docs/metrics.md`;
do not edit it by hand.

- **Id** is the `Metric` GraphQL enum value; the lower-case form is the metric's code.
- **Units**: `COUNT` (people, orders or events), `MONEY` (yuan, exact to the fen),
  `RATIO` (a fraction: 0.25, not 25%), `DAYS` (whole days).
- **Quotients** (every `RATIO`, and the per-buyer or per-visitor `MONEY` metrics `aov`,
  `member_aov`, `card_uv_value`) are null when their denominator is 0, never 0. Counts
  and money over no facts are 0.
- **Period** P: the days `from` to `to`, both included, in the business time zone
  (default Asia/Shanghai). **End of period** E: 00:00 of the day after `to`.
  Point-in-time figures ("members at the end of the period") count the membership stints
  in force just before E. Windows such as "the 30 days ending at E" end at E,
  whatever P's length.
- **Orders in the period** are orders paid in P; a refund never removes an order and
  counts on its order's paid day. A **member order** is one whose buyer had a membership
  stint at the shop covering its payment time; a **fan order** likewise with a follow
  stint.
- **Direction**: higher is better for every metric except `refund_rate`, `left_members`
  and `lost_users`, where lower is better; peer "excellent" values and ranks use it.
- **Slices** are the dimensions a metric can be sliced or broken down by; any other
  slice is a `BAD_USER_INPUT` error.
"""

_HEADER = (
    "| id | 指标 | label | unit | direction | definition | 定义 | slices |",
    "|---|---|---|---|---|---|---|---|",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(spec: MetricSpec) -> str:
    direction = "higher is better" if spec.higher_is_better else "lower is better"
    slices = ", ".join(f"`{dimension.name}`" for dimension in spec.dimensions) or "none"
    cells = (
        f"`{spec.metric.name}`",
        spec.label_zh,
        spec.label_en,
        f"`{spec.unit.name}`",
        direction,
        spec.description_en,
        spec.description_zh,
        slices,
    )
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _lines() -> Iterator[str]:
    yield _INTRO
    for group in MetricGroup:
        yield f"## {group.en} ({group.zh})"
        yield ""
        yield from _HEADER
        for spec in CATALOGUE.values():
            if spec.group is group:
                yield _row(spec)
        yield ""
    yield "## Dimensions"
    yield ""
    yield "| id | 维度 | label |"
    yield "|---|---|---|"
    for dimension in Dimension:
        yield f"| `{dimension.name}` | {dimension.zh} | {dimension.en} |"


def render_catalogue_doc() -> str:
    """The Markdown reference of the whole catalogue, ending with a newline."""
    return "\n".join(_lines()) + "\n"


def main() -> None:
    """Writes the Markdown reference to standard output as UTF-8."""
    sys.stdout.buffer.write(render_catalogue_doc().encode("utf-8"))


if __name__ == "__main__":
    main()
