"""Event facts of whole business days from ``shop_event_days``: the bases of
``EVENT_FACTS_SQL`` on no slice and on the product-card entries, from one row per shop,
slice and day instead of one per event.

A row holds the day's counts and, for each set of users counted, the days deciding from
which first day S of a run the row counts a user, sorted (migration 0017 says which). The
users of a set in a run S … E−1 are counted on their first day in it, on each day the
elements of an array before S, ``width_bucket(S - 1, days)`` (a binary search):

- claimers, the audience, card viewers and clickers: their previous day of the kind;
- returning card clickers: the later of the previous click day and the first order day;
- lost users: the card clickers' days with a click or an order, less their order days;
- high-potential users: the days from which "two clicks, or an audience event and a cart,
  or an order" first holds (after ``hp_t0``, up to ``hp_t1``), less the order days.
"""

from __future__ import annotations

from typing import Final

from resolvers.catalogue import Dimension
from resolvers.engine.fragments import before_s, day_windows_cte
from resolvers.engine.windows import FactFilter


def _event_days_sql(slice_rows: str, flag: int) -> str:
    """The statement over the rows of the slices ``slice_rows`` picks (a condition from code
    on ``d.slice_key``, an index range of each window's shop: one statement per form, so
    that the plan of each uses the index), its flags from parameter ``flag`` on: those of
    ``EVENT_COSTLY_PARTS`` but the first (the days look up no order; the returning card
    clickers' array goes with the new card clickers' flag). A set of users not wanted is
    null, its arrays not read (a constant condition of the custom plan)."""
    (returning, claimers, audience, potential, seen, clickers, lost) = (
        f"${number}::boolean" for number in range(flag, flag + 7)
    )
    return (
        day_windows_cte("event_days_ready($5::text)")
        + f"""
SELECT w.window_id, t.*
FROM w
CROSS JOIN LATERAL (
    SELECT
        d.slice_key,
        sum(d.claims) AS benefit_claims,
        sum(CASE WHEN {claimers} THEN {before_s("claim_prevs")} END) AS benefit_claimers,
        sum(CASE WHEN {audience} THEN {before_s("audience_prevs")} END) AS audience_users,
        sum(CASE WHEN {potential} THEN
            {before_s("hp_t0s")} - {before_s("hp_t1s")} - {before_s("hp_buy_prevs")}
        END) AS high_potential_users,
        sum(CASE WHEN {seen} THEN {before_s("seen_prevs")} END) AS card_impression_users,
        sum(CASE WHEN {clickers} THEN {before_s("click_prevs")} END) AS card_click_users,
        sum(d.card_clicks) AS card_clicks,
        sum(CASE WHEN {clickers} AND {returning} THEN
            {before_s("click_prevs")} - {before_s("click_returnings")}
        END) AS card_new_click_users,
        sum(CASE WHEN {lost} THEN
            {before_s("cob_prevs")} - {before_s("lost_buy_prevs")}
        END) AS lost_users
    FROM shop_event_days d
    WHERE d.shop_id = w.shop_id
      AND d.day >= w.s
      AND d.day < w.e
      AND {slice_rows}
    GROUP BY d.slice_key
    -- a slice with no event in the window has no row, as in the raw statement
    HAVING sum(d.events) > 0
) t
"""
    )


# $1-$4: the windows (id, shop, first day S, day after the last E) as parallel text
# arrays, as ``day_windows`` gives them; $5 the zone the days are in; for one entry, $6
# the entry; then the flags.
EVENT_DAYS_SQL: Final = _event_days_sql("d.slice_key = ''", 6)
EVENT_DAYS_ENTRY_SQL: Final = _event_days_sql("d.slice_key = $6::text", 7)
EVENT_DAYS_ENTRIES_SQL: Final = _event_days_sql("d.slice_key > ''", 6)


def event_days_reading(facts: FactFilter) -> tuple[str, tuple[str, ...]] | None:
    """The statement reading ``facts`` from the event days, with its parameters after the
    zone; None for the slices they do not hold (other dimensions, a segment's users)."""
    if facts.users is not None:
        return None
    if facts.dimension is None:
        return EVENT_DAYS_SQL, ()
    if facts.dimension is not Dimension.ENTRY:
        return None
    if facts.value is None:
        return EVENT_DAYS_ENTRIES_SQL, ()
    return EVENT_DAYS_ENTRY_SQL, (facts.value,)
