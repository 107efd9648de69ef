"""Reading a segment rule: validation on save and the JSON form that is stored and compiled.

The JSON form mirrors ``SegmentRuleInput``: camelCase keys, fields left unset or null
omitted, e.g. ``{"all": [{"purchased": {"productIds": ["p1"], "withinDays": 90,
"minOrders": 1}}, {"not": {"fan": {"isFan": true}}}]}``.
"""

from __future__ import annotations

from typing import Any, Final

import asyncpg

from resolvers.errors import BadUserInput
from resolvers.segments.rule_fields import LEAF_FORMS, LeafForm, Reference, References
from schema.segment_rule import SegmentRuleInput

KINDS: Final = ("all", "any", "not", *LEAF_FORMS)

# SPEC §8: a rule has at most this many leaves (nodes other than all, any and not). Fixed
# in code: the settings do not carry it.
MAX_RULE_LEAVES: Final = 200

# Which of the rule's ids exist: products and campaigns of the shop, creators anywhere.
EXISTING_IDS_SQL = """
SELECT
    ARRAY(
        SELECT p.product_id
        FROM products p
        WHERE p.shop_id = $1
          AND p.product_id = any($2::text[])
    ) AS products,
    ARRAY(
        SELECT c.campaign_id
        FROM campaigns c
        WHERE c.shop_id = $1
          AND c.campaign_id = any($3::text[])
    ) AS campaigns,
    ARRAY(
        SELECT cr.creator_id
        FROM creators cr
        WHERE cr.creator_id = any($4::text[])
    ) AS creators
"""


def _kinds(rule: SegmentRuleInput) -> dict[str, object]:
    """The rule's kinds that are given, by GraphQL name."""
    given: dict[str, object] = {
        "all": rule.all_,
        "any": rule.any_,
        "not": rule.not_,
        "member": rule.member,
        "purchased": rule.purchased,
        "rfm": rule.rfm,
        "activity": rule.activity,
        "profile": rule.profile,
        "fan": rule.fan,
        "reached": rule.reached,
    }
    return {kind: value for kind, value in given.items() if value is not None}


def _named(kinds: list[str]) -> str:
    return " and ".join(kinds) if len(kinds) < 3 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"


def _node(
    rule: SegmentRuleInput, *, path: str, depth: int, max_depth: int, references: References
) -> dict[str, Any]:
    if depth > max_depth:
        raise BadUserInput(f"{path}: rules nest at most {max_depth} deep")
    given = _kinds(rule)
    if not given:
        raise BadUserInput(
            f"{path}: exactly one rule kind is needed ({', '.join(KINDS)}), none given"
        )
    if len(given) > 1:
        raise BadUserInput(f"{path}: exactly one rule kind is needed, got {_named(list(given))}")
    [(kind, value)] = given.items()
    if kind == "not":
        assert isinstance(value, SegmentRuleInput)
        child = _node(
            value, path=f"{path}.not", depth=depth + 1, max_depth=max_depth, references=references
        )
        return {"not": child}
    if kind in ("all", "any"):
        assert isinstance(value, list)
        if not value:
            raise BadUserInput(f"{path}.{kind}: must not be empty")
        children = [
            _node(
                item,
                path=f"{path}.{kind}[{index}]",
                depth=depth + 1,
                max_depth=max_depth,
                references=references,
            )
            for index, item in enumerate(value)
        ]
        return {kind: children}
    form = LeafForm(f"{path}.{kind}", references)
    LEAF_FORMS[kind](value, form)
    return {kind: form.json}


def _missing(references: list[Reference], existing: asyncpg.Record, shop_id: str) -> str | None:
    """The message for the first id (in rule order) that does not exist, if any."""
    found = {
        "product": set(existing["products"]),
        "campaign": set(existing["campaigns"]),
        "creator": set(existing["creators"]),
    }
    for reference in references:
        if reference.value in found[reference.table]:
            continue
        where = "" if reference.table == "creator" else f" in shop {shop_id!r}"
        return f"{reference.path}: no {reference.table} {reference.value!r}{where}"
    return None


async def _check_references(pool: asyncpg.Pool, *, shop_id: str, references: References) -> None:
    if not references.items:
        return

    def ids(table: str) -> list[str]:
        return sorted({ref.value for ref in references.items if ref.table == table})

    existing = await pool.fetchrow(
        EXISTING_IDS_SQL, shop_id, ids("product"), ids("campaign"), ids("creator")
    )
    message = _missing(references.items, existing, shop_id)
    if message is not None:
        raise BadUserInput(message)


def count_leaves(rule: SegmentRuleInput) -> int:
    """The leaf kinds given in the rule's nodes, walked without recursion so that a rule
    of any depth is counted before its shape is read."""
    leaves = 0
    pending = [rule]
    while pending:
        node = pending.pop()
        given = _kinds(node)
        leaves += sum(1 for kind in given if kind in LEAF_FORMS)
        pending.extend(node.all_ or ())
        pending.extend(node.any_ or ())
        if node.not_ is not None:
            pending.append(node.not_)
    return leaves


def rule_form(
    rule: SegmentRuleInput, *, max_depth: int, argument: str = "rule"
) -> tuple[dict[str, Any], References]:
    """The rule's JSON form and the ids it names, once its size and shape pass (the ids
    are not checked here). Raises ``BadUserInput`` naming ``argument`` or the path."""
    leaves = count_leaves(rule)
    if leaves > MAX_RULE_LEAVES:
        raise BadUserInput(
            f"{argument}: at most {MAX_RULE_LEAVES} leaves (rules other than all, any and "
            f"not), not {leaves}"
        )
    references = References()
    form = _node(rule, path=argument, depth=1, max_depth=max_depth, references=references)
    return form, references


async def parse_rule(
    pool: asyncpg.Pool,
    shop_id: str,
    rule: SegmentRuleInput,
    *,
    max_depth: int,
    argument: str = "rule",
) -> dict[str, Any]:
    """Validate a rule for a shop; return its JSON form (camelCase keys mirroring
    SegmentRuleInput, unset/null fields omitted; stored as JSONB and returned as
    Segment.rule). Raises ``BadUserInput`` naming the path, e.g.
    ``rule.all[1].not.purchased.productIds[0]: no product 'x' in shop 's1'``.

    The number of leaves is checked first, then the shape (the first error in rule
    order), then every id the rule names in one statement."""
    form, references = rule_form(rule, max_depth=max_depth, argument=argument)
    await _check_references(pool, shop_id=shop_id, references=references)
    return form
