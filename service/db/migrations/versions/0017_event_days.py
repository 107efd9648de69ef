"""Event days: each user's events at a shop per business day with the user's earlier days
of each kind, and one row per (shop, slice, day) of them, kept by triggers.

``event_days`` holds a row per (shop, slice, business day, user): the slice is ``''`` (all
the user's events) or a product-card entry (the user's card events of that entry, as the
raw statement slices them). Each
row has the day's additive counts and, for each counted set of users, the value that
decides from which first day S of a run the row is the user's first day in the set:

- a user with an event of a kind (claim, audience, card impression, card click) on the
  row's day is counted on it when their previous day of that kind is before S
  (``*_prev``, ``-infinity`` for none); null: not counted there;
- returning card clickers (an order before S): ``click_returning``, the later of the
  previous click day and the first order day, on click days after the first order day;
- lost users (card clickers with no order in the run) are the users with a card click or
  an order in the run, less those with an order, both counted among the users with a card
  click of the slice at any time: ``cob_prev`` and ``lost_buy_prev``;
- high-potential users (audience, no order, a cart or two clicks in the run) are the users
  for whom "two clicks, or an audience event and a cart, or an order" holds over the run,
  less those with an order, both among the users with a click or a cart at any time.
  Whether that holds over S … d is ``S <= t1`` on the row of day d and over S … d−1 is
  ``S <= t0``: the row is the user's first day where it holds when ``t0 < S <= t1``
  (``hp_t0``, ``hp_t1``, kept where they differ); ``hp_buy_prev`` the order chain.

``shop_event_days`` sums the counts of a (shop, slice, day) and sorts each chain into an
array; a run's count of a set is then binary searches (``width_bucket``), as for the shop
order days (``resolvers/engine/event_days_sql.py``).

The triggers recompute every (shop, user) pair a statement on ``events`` touches, and
every pair whose order days a statement adds or removes (orders decide the order chains
and the first order day), writing only the rows that change; the triggers on
``event_days`` rebuild the (shop, slice, day) rows of the rows changed. Both are kept in
the zone of ``event_days_state`` (the order days' zone), set by ``memberlens migrate``
after the order days are built; emptying the order days stops keeping them.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = ("events", "claims", "card_clicks")

# (column of event_days, array column of shop_event_days)
CHAINS = (
    ("claim_prev", "claim_prevs"),
    ("audience_prev", "audience_prevs"),
    ("seen_prev", "seen_prevs"),
    ("click_prev", "click_prevs"),
    ("click_returning", "click_returnings"),
    ("cob_prev", "cob_prevs"),
    ("lost_buy_prev", "lost_buy_prevs"),
    ("hp_t0", "hp_t0s"),
    ("hp_t1", "hp_t1s"),
    ("hp_buy_prev", "hp_buy_prevs"),
)

COLUMNS = (*SUMS, *(column for column, _ in CHAINS))
KEY = ("shop_id", "slice_key", "day", "user_id")


def _write_difference(
    table: str, key: tuple[str, ...], columns: tuple[str, ...], stored: str
) -> str:
    """The end of a statement writing the rows of CTE ``fresh`` to ``table`` in place of
    those ``stored`` reads (alias k), keyed by ``key``. Names come from code."""
    keys = ", ".join(key)
    matches = "\n          AND ".join(f"d.{column} = g.{column}" for column in key)
    return f"""    -- the rows stored now, read once
    stored AS MATERIALIZED (
        SELECT k.*
        {stored}
    ),
    -- the rows stored less the fresh ones go, and the fresh rows not stored as they are
    -- are written: set differences (hashed or sorted), not a lookup per row (an anti-join
    -- with the fresh rows, whose count the planner cannot know, may scan them once per
    -- row stored; an upsert of every fresh row probes the key of each)
    gone AS (
        DELETE FROM {table} d
        USING (
            SELECT {keys}
            FROM stored
            EXCEPT
            SELECT {keys}
            FROM fresh
        ) AS g
        WHERE {matches}
    )
    INSERT INTO {table}
    SELECT * FROM fresh
    EXCEPT
    SELECT * FROM stored
    ON CONFLICT ({keys}) DO UPDATE SET
        {", ".join(f"{column} = excluded.{column}" for column in columns)};
"""  # noqa: S608 (names from code)


def _none(value: str) -> str:
    return f"coalesce({value}, '-infinity')"


# Rows again from their events and order days, in the zone of event_days_state (none while
# it is unset): the rows gone are deleted, the others upserted where they differ. Every
# table is read by index (``enable_seqscan`` off: the rows a statement touches are few
# beside the tables, and a table growing during a build has no statistics yet, where a
# scan of all of it per statement would make a build quadratic).
def _rows_function(header: str, scope: str, events: str, order_days: str, stored: str) -> str:
    """A function (``header``) writing the event days of ``scope`` (a CTE) from the rows of
    ``events`` (alias e) and ``order_days`` (alias d), in place of the event days
    ``stored`` reads (alias k). Names come from code."""
    return f"""
{header}
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT zone INTO day_zone FROM event_days_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN;
    END IF;
    WITH {scope},
    ev AS MATERIALIZED (
        SELECT
            e.shop_id,
            e.user_id,
            (e.occurred_at AT TIME ZONE day_zone)::date AS day,
            e.type,
            coalesce(e.carrier = 'product_card', false) AS on_card,
            e.entry
        {events}
    ),
    -- each event in the slice of all events and, a card event with an entry, in its entry's
    ev_days AS (
        SELECT
            ev.shop_id,
            ev.user_id,
            k.slice_key,
            ev.day,
            count(*)::int AS events,
            (count(*) FILTER (WHERE ev.type = 'benefit_claim'))::int AS claims,
            bool_or(ev.type IN ('live_watch', 'video_watch', 'product_click')) AS audience,
            bool_or(ev.type = 'add_to_cart') AS carted,
            (count(*) FILTER (WHERE ev.type = 'product_click'))::int AS clicks,
            bool_or(ev.type = 'product_impression' AND ev.on_card) AS card_seen,
            (count(*) FILTER (WHERE ev.type = 'product_click' AND ev.on_card))::int
                AS card_clicks
        FROM ev
        CROSS JOIN LATERAL (
            VALUES (''), (CASE WHEN ev.on_card THEN ev.entry END)
        ) AS k(slice_key)
        WHERE k.slice_key IS NOT NULL
        GROUP BY ev.shop_id, ev.user_id, k.slice_key, ev.day
    ),
    bought AS (
        SELECT d.shop_id, d.user_id, d.day
        {order_days}
    ),
    -- Per pair, the slices that hold the user's order days (the high-potential and the
    -- lost users' conditions read them) and those days, then each such slice with each
    -- day: grouped and unnested, not joined (the planner cannot know how many rows the
    -- statement's sets hold, and a nested loop over them costs their product).
    pair_days AS (
        SELECT
            shop_id,
            user_id,
            array_agg(DISTINCT slice_key) FILTER (WHERE holds) AS slice_keys,
            array_agg(day) FILTER (WHERE day IS NOT NULL) AS days
        FROM (
            SELECT
                shop_id,
                user_id,
                slice_key,
                clicks > 0 OR carted OR card_clicks > 0 AS holds,
                NULL::date AS day
            FROM ev_days
            UNION ALL
            SELECT shop_id, user_id, NULL, false, day
            FROM bought
        ) AS x
        GROUP BY shop_id, user_id
    ),
    bought_days AS (
        SELECT p.shop_id, p.user_id, k.slice_key, d.day
        FROM pair_days p
        CROSS JOIN LATERAL unnest(p.slice_keys) AS k(slice_key)
        CROSS JOIN LATERAL unnest(p.days) AS d(day)
    ),
    all_days AS (
        SELECT
            coalesce(e.shop_id, b.shop_id) AS shop_id,
            coalesce(e.user_id, b.user_id) AS user_id,
            coalesce(e.slice_key, b.slice_key) AS slice_key,
            coalesce(e.day, b.day) AS day,
            coalesce(e.events, 0) AS events,
            coalesce(e.claims, 0) AS claims,
            coalesce(e.audience, false) AS audience,
            coalesce(e.carted, false) AS carted,
            coalesce(e.clicks, 0) AS clicks,
            coalesce(e.card_seen, false) AS card_seen,
            coalesce(e.card_clicks, 0) AS card_clicks,
            b.day IS NOT NULL AS bought
        FROM ev_days e
        FULL JOIN bought_days b
            ON b.shop_id = e.shop_id
            AND b.user_id = e.user_id
            AND b.slice_key = e.slice_key
            AND b.day = e.day
    ),
    -- each kind's previous day (null: none); over the whole slice of the user, whether it
    -- holds the order days for each condition, and the first order day (where the lost
    -- users' condition holds them, that is wherever a card click reads it)
    chained AS (
        SELECT
            a.*,
            bool_or(a.clicks > 0 OR a.carted) OVER slice AS hp_kept,
            bool_or(a.card_clicks > 0) OVER slice AS lost_kept,
            min(a.day) FILTER (WHERE a.bought) OVER slice AS first_day,
            max(a.day) FILTER (WHERE a.claims > 0) OVER prior AS claim_prev,
            max(a.day) FILTER (WHERE a.audience) OVER prior AS audience_prev,
            max(a.day) FILTER (WHERE a.carted) OVER prior AS cart_prev,
            max(a.day) FILTER (WHERE a.clicks > 0) OVER prior AS any_click_prev,
            max(a.day) FILTER (WHERE a.card_seen) OVER prior AS seen_prev,
            max(a.day) FILTER (WHERE a.card_clicks > 0) OVER prior AS click_prev,
            max(a.day) FILTER (WHERE a.card_clicks > 0 OR a.bought) OVER prior AS cob_prev,
            max(a.day) FILTER (WHERE a.bought) OVER prior AS buy_prev
        FROM all_days a
        WINDOW
            slice AS (PARTITION BY a.shop_id, a.user_id, a.slice_key),
            prior AS (
                PARTITION BY a.shop_id, a.user_id, a.slice_key
                ORDER BY a.day
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            )
    ),
    -- the latest S from which a run up to the day holds two clicks: the day of the
    -- second-latest click up to it
    second_clicks AS (
        SELECT
            c.*,
            CASE WHEN c.clicks >= 2 THEN c.day WHEN c.clicks = 1 THEN c.any_click_prev END
                AS second_click
        FROM chained c
    ),
    holds AS (
        SELECT
            x.*,
            greatest(
                {_none("max(x.second_click) OVER prior")},
                least({_none("x.audience_prev")}, {_none("x.cart_prev")}),
                {_none("x.buy_prev")}
            ) AS t0,
            greatest(
                {_none("greatest(max(x.second_click) OVER prior, x.second_click)")},
                least(
                    {_none("CASE WHEN x.audience THEN x.day ELSE x.audience_prev END")},
                    {_none("CASE WHEN x.carted THEN x.day ELSE x.cart_prev END")}
                ),
                {_none("CASE WHEN x.bought THEN x.day ELSE x.buy_prev END")}
            ) AS t1
        FROM second_clicks x
        WINDOW prior AS (
            PARTITION BY x.shop_id, x.user_id, x.slice_key
            ORDER BY x.day
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        )
    ),
    fresh AS (
        SELECT
            shop_id,
            slice_key,
            day,
            user_id,
            events,
            claims,
            card_clicks,
            CASE WHEN claims > 0 THEN {_none("claim_prev")} END AS claim_prev,
            CASE WHEN audience THEN {_none("audience_prev")} END AS audience_prev,
            CASE WHEN card_seen THEN {_none("seen_prev")} END AS seen_prev,
            CASE WHEN card_clicks > 0 THEN {_none("click_prev")} END AS click_prev,
            CASE WHEN card_clicks > 0 AND first_day < day
                THEN greatest({_none("click_prev")}, first_day)
            END AS click_returning,
            CASE WHEN lost_kept AND (card_clicks > 0 OR bought)
                THEN {_none("cob_prev")}
            END AS cob_prev,
            CASE WHEN lost_kept AND bought THEN {_none("buy_prev")} END AS lost_buy_prev,
            CASE WHEN hp_kept AND t1 > t0 THEN t0 END AS hp_t0,
            CASE WHEN hp_kept AND t1 > t0 THEN t1 END AS hp_t1,
            CASE WHEN hp_kept AND bought THEN {_none("buy_prev")} END AS hp_buy_prev
        FROM holds
    ),
{_write_difference("event_days", KEY, COLUMNS, stored)}END
$$
"""  # noqa: S608 (names from code)


REFRESH_FUNCTION_SQL = _rows_function(
    "CREATE FUNCTION refresh_event_days(p_shops text[], p_users text[]) RETURNS void "
    "SET enable_seqscan = off",
    """pairs AS (
        SELECT DISTINCT shop_id, user_id
        FROM unnest(p_shops, p_users) AS t(shop_id, user_id)
    )""",
    """FROM pairs
        JOIN events e ON e.shop_id = pairs.shop_id AND e.user_id = pairs.user_id""",
    """FROM pairs
        JOIN order_days d ON d.shop_id = pairs.shop_id AND d.user_id = pairs.user_id""",
    """FROM pairs
            JOIN event_days k ON k.shop_id = pairs.shop_id AND k.user_id = pairs.user_id""",
)

# The rows of whole shops, for a build: each shop's events and order days read by index
# range (the events' covering index holds every column read), not a lookup per user;
# sorted in memory.
BUILD_FUNCTION_SQL = _rows_function(
    "CREATE FUNCTION build_event_days(p_shops text[]) RETURNS void "
    "SET enable_seqscan = off SET work_mem = '256MB'",
    "shops AS (SELECT unnest(p_shops) AS shop_id)",
    "FROM shops JOIN events e ON e.shop_id = shops.shop_id",
    "FROM shops JOIN order_days d ON d.shop_id = shops.shop_id",
    "FROM shops JOIN event_days k ON k.shop_id = shops.shop_id",
)


def _arrays() -> str:
    return ",\n".join(
        f"        coalesce(array_agg({column} ORDER BY {column}) "
        f"FILTER (WHERE {column} IS NOT NULL), '{{}}')"
        for column, _ in CHAINS
    )


# The cells (p_shops[i], p_keys[i], p_days[i]) again from their event days, read by index
# (as above).
REFRESH_CELLS_FUNCTION_SQL = f"""
CREATE FUNCTION refresh_shop_event_days(p_shops text[], p_keys text[], p_days date[])
RETURNS void
SET enable_seqscan = off
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT zone FROM event_days_state) IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM shop_event_days t
    USING unnest(p_shops, p_keys, p_days) AS c(shop_id, slice_key, day)
    WHERE t.shop_id = c.shop_id AND t.slice_key = c.slice_key AND t.day = c.day;
    INSERT INTO shop_event_days
    SELECT
        d.shop_id,
        d.slice_key,
        d.day,
        {", ".join(f"sum(d.{column})" for column in SUMS)},
{_arrays()}
    FROM (
        SELECT DISTINCT shop_id, slice_key, day
        FROM unnest(p_shops, p_keys, p_days) AS c(shop_id, slice_key, day)
    ) AS c
    JOIN event_days d ON d.shop_id = c.shop_id AND d.slice_key = c.slice_key AND d.day = c.day
    GROUP BY d.shop_id, d.slice_key, d.day
    ORDER BY d.shop_id, d.slice_key, d.day;
END
$$
"""  # noqa: S608 (names from code)

READY_FUNCTION_SQL = """
CREATE FUNCTION event_days_ready(p_zone text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM event_days_state WHERE ready AND zone = p_zone) THEN
        RAISE EXCEPTION 'the event days are being rebuilt'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN true;
END
$$
"""


def _after_change(name: str, refresh: str, keys: tuple[str, ...]) -> str:
    """A trigger function ``name`` calling ``refresh`` with the ``keys`` (one array each)
    of the rows a statement changed: its transition tables' new rows for INSERT, old and
    new for UPDATE, old for DELETE. Names come from code."""
    columns = ", ".join(keys)
    arrays = ", ".join(f"array_agg({key})" for key in keys)
    return f"""
CREATE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM {refresh}({arrays})
        FROM (SELECT DISTINCT {columns} FROM new_rows) AS changed
        HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM {refresh}({arrays})
        FROM (
            SELECT {columns} FROM old_rows
            UNION
            SELECT {columns} FROM new_rows
        ) AS changed
        HAVING count(*) > 0;
    ELSE
        PERFORM {refresh}({arrays})
        FROM (SELECT DISTINCT {columns} FROM old_rows) AS changed
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (names from code)


# The pairs of the events a statement changed, or of the order days it added or removed.
PAIRS_FUNCTION_SQL = _after_change(
    "event_days_after_change", "refresh_event_days", ("shop_id", "user_id")
)

# The cells of the event days a statement removed and of those it wrote.
CELLS_FUNCTION_SQL = _after_change(
    "shop_event_days_after_change", "refresh_shop_event_days", ("shop_id", "slice_key", "day")
)

# Truncated events leave no event days.
EVENTS_TRUNCATED_FUNCTION_SQL = """
CREATE FUNCTION event_days_after_events_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE event_days, shop_event_days;
    RETURN NULL;
END
$$
"""

# Emptied order days (not kept, or a rebuild starting): emptied, and not kept until the
# next build.
ORDER_DAYS_TRUNCATED_FUNCTION_SQL = """
CREATE FUNCTION event_days_after_order_days_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event_days_state SET zone = NULL, ready = false;
    TRUNCATE event_days, shop_event_days;
    RETURN NULL;
END
$$
"""

TRANSITIONS = {
    "insert": "INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
}

# (trigger, table, events, function): the order days' updates keep their days
TRIGGERS = (
    *(
        (f"events_event_days_{event}", "events", event, "event_days_after_change")
        for event in TRANSITIONS
    ),
    *(
        (f"order_days_event_days_{event}", "order_days", event, "event_days_after_change")
        for event in ("insert", "delete")
    ),
    *(
        (f"event_days_shop_days_{event}", "event_days", event, "shop_event_days_after_change")
        for event in TRANSITIONS
    ),
)


def upgrade() -> None:
    op.create_table(
        "event_days",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("slice_key", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in SUMS),
        *(sa.Column(name, sa.Date(), nullable=True) for name, _ in CHAINS),
        sa.PrimaryKeyConstraint("shop_id", "slice_key", "day", "user_id"),
    )
    op.create_index("event_days_shop_user", "event_days", ["shop_id", "user_id"])
    op.create_table(
        "shop_event_days",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("slice_key", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in SUMS),
        *(sa.Column(name, ARRAY(sa.Date()), nullable=False) for _, name in CHAINS),
        sa.PrimaryKeyConstraint("shop_id", "slice_key", "day"),
    )
    op.create_table(
        "event_days_state",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute("INSERT INTO event_days_state (singleton, zone, ready) VALUES (true, NULL, false)")
    for sql in (
        REFRESH_FUNCTION_SQL,
        BUILD_FUNCTION_SQL,
        REFRESH_CELLS_FUNCTION_SQL,
        READY_FUNCTION_SQL,
        PAIRS_FUNCTION_SQL,
        CELLS_FUNCTION_SQL,
        EVENTS_TRUNCATED_FUNCTION_SQL,
        ORDER_DAYS_TRUNCATED_FUNCTION_SQL,
    ):
        op.execute(sql)
    for name, table, event, function in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {TRANSITIONS[event].format(table=table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    op.execute(
        "CREATE TRIGGER events_event_days_truncate AFTER TRUNCATE ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION event_days_after_events_truncate()"
    )
    op.execute(
        "CREATE TRIGGER order_days_event_days_truncate AFTER TRUNCATE ON order_days "
        "FOR EACH STATEMENT EXECUTE FUNCTION event_days_after_order_days_truncate()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER order_days_event_days_truncate ON order_days")
    op.execute("DROP TRIGGER events_event_days_truncate ON events")
    for name, table, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION event_days_after_order_days_truncate()")
    op.execute("DROP FUNCTION event_days_after_events_truncate()")
    op.execute("DROP FUNCTION shop_event_days_after_change()")
    op.execute("DROP FUNCTION event_days_after_change()")
    op.execute("DROP FUNCTION event_days_ready(text)")
    op.execute("DROP FUNCTION refresh_shop_event_days(text[], text[], date[])")
    op.execute("DROP FUNCTION build_event_days(text[])")
    op.execute("DROP FUNCTION refresh_event_days(text[], text[])")
    op.drop_table("event_days_state")
    op.drop_table("shop_event_days")
    op.drop_index("event_days_shop_user", table_name="event_days")
    op.drop_table("event_days")
