"""Event days rewritten from each pair's first changed day.

A statement adding events or order days recomputed and compared every event day of each
(shop, user) pair it touched, over the pair's whole history: a day of the platform read
each pair's stored rows one heap page a row (a pair's days lie apart on disk). A row of
day d depends on the pair's days up to d, and on whether a slice of the pair holds a
click or a cart (high-potential users) or a card click (lost users) on any day. So the
refresh now takes, for each pair, the first day the statement changed (the first day of
the events or order days it added, or of the order days it removed), and writes the
pair's rows from that day on, reading only the stored rows from it (by the index on
(shop, user, day), which replaces the one on (shop, user)); where a slice first holds
either condition from that day on, the pair's rows are written from its first day, as
before. Updated or removed events (a reload changing an event, which may take a
condition away) still rewrite every day of their pairs. The refresh sorts and hashes in
memory up to 256 MB a step, as a build does.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

from alembic import op

from service.db.revisions import earlier_revision, edited, replacing

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The pairs' sets are sorted and hashed in memory, as a build's are: on the session's
# default work_mem a day of the platform spilled them to disk.
OLD_HEADER = """CREATE FUNCTION refresh_event_days(p_shops text[], p_users text[]) RETURNS void \
SET enable_seqscan = off"""
NEW_HEADER = """CREATE FUNCTION refresh_event_days(p_shops text[], p_users text[], p_froms date[])
RETURNS void SET enable_seqscan = off SET work_mem = '256MB'"""

OLD_PAIRS = """SELECT DISTINCT shop_id, user_id
        FROM unnest(p_shops, p_users) AS t(shop_id, user_id)"""
NEW_PAIRS = """SELECT shop_id, user_id, min(from_day) AS from_day
        FROM unnest(p_shops, p_users, p_froms) AS t(shop_id, user_id, from_day)
        GROUP BY shop_id, user_id"""

OLD_FRESH = "    fresh AS (\n"
NEW_FRESH = "    fresh_days AS (\n"

# After the fresh rows of every day: the first day each pair is written from, and the
# fresh rows from it.
OLD_STORED = "    -- the rows stored now, read once\n"
NEW_STORED = """    -- each pair's first day written: the first day changed, unless a slice of the
    -- pair holds a condition read over all its days (a click or a cart; a card click)
    -- from that day on and on no day before
    written AS (
        SELECT
            p.shop_id,
            p.user_id,
            CASE WHEN coalesce(bool_or(s.gained), false) THEN '-infinity'::date
                ELSE p.from_day
            END AS from_day
        FROM pairs p
        LEFT JOIN (
            SELECT
                a.shop_id,
                a.user_id,
                bool_or(a.day >= q.from_day AND (a.clicks > 0 OR a.carted))
                    AND NOT bool_or(a.day < q.from_day AND (a.clicks > 0 OR a.carted))
                OR bool_or(a.day >= q.from_day AND a.card_clicks > 0)
                    AND NOT bool_or(a.day < q.from_day AND a.card_clicks > 0) AS gained
            FROM all_days a
            JOIN pairs q ON q.shop_id = a.shop_id AND q.user_id = a.user_id
            GROUP BY a.shop_id, a.user_id, a.slice_key
        ) AS s ON s.shop_id = p.shop_id AND s.user_id = p.user_id
        GROUP BY p.shop_id, p.user_id, p.from_day
    ),
    fresh AS (
        SELECT f.*
        FROM fresh_days f
        JOIN written w ON w.shop_id = f.shop_id AND w.user_id = f.user_id
        WHERE f.day >= w.from_day
    ),
    -- the rows stored now, read once
"""

OLD_STORED_ROWS = """FROM pairs
            JOIN event_days k ON k.shop_id = pairs.shop_id AND k.user_id = pairs.user_id"""
NEW_STORED_ROWS = """FROM written w
            JOIN event_days k
                ON k.shop_id = w.shop_id AND k.user_id = w.user_id AND k.day >= w.from_day"""

# The pairs of the events a statement changed, or of the order days it added or removed,
# each with its first day changed ('-infinity': every day, for updated or removed events).
PAIRS_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION event_days_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    -- locked as the refresh locks it: the first days are in the zone the rows are written in
    SELECT zone INTO day_zone FROM event_days_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'order_days' AND TG_OP = 'INSERT' THEN
        PERFORM refresh_event_days(array_agg(shop_id), array_agg(user_id), array_agg(day))
        FROM (SELECT shop_id, user_id, min(day) AS day FROM new_rows GROUP BY 1, 2) AS changed
        HAVING count(*) > 0;
    ELSIF TG_TABLE_NAME = 'order_days' THEN
        PERFORM refresh_event_days(array_agg(shop_id), array_agg(user_id), array_agg(day))
        FROM (SELECT shop_id, user_id, min(day) AS day FROM old_rows GROUP BY 1, 2) AS changed
        HAVING count(*) > 0;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM refresh_event_days(array_agg(shop_id), array_agg(user_id), array_agg(day))
        FROM (
            SELECT shop_id, user_id, min((occurred_at AT TIME ZONE day_zone)::date) AS day
            FROM new_rows
            GROUP BY 1, 2
        ) AS changed
        HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM refresh_event_days(
            array_agg(shop_id), array_agg(user_id), array_agg('-infinity'::date)
        )
        FROM (
            SELECT shop_id, user_id FROM old_rows
            UNION
            SELECT shop_id, user_id FROM new_rows
        ) AS changed
        HAVING count(*) > 0;
    ELSE
        PERFORM refresh_event_days(
            array_agg(shop_id), array_agg(user_id), array_agg('-infinity'::date)
        )
        FROM (SELECT DISTINCT shop_id, user_id FROM old_rows) AS changed
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    event_days = earlier_revision("0017_event_days.py")
    op.execute(
        edited(
            event_days.REFRESH_FUNCTION_SQL,
            (OLD_HEADER, NEW_HEADER),
            (OLD_PAIRS, NEW_PAIRS),
            (OLD_FRESH, NEW_FRESH),
            (OLD_STORED, NEW_STORED),
            (OLD_STORED_ROWS, NEW_STORED_ROWS),
        )
    )
    op.execute(PAIRS_FUNCTION_SQL)
    op.execute("DROP FUNCTION refresh_event_days(text[], text[])")
    op.create_index("event_days_shop_user_day", "event_days", ["shop_id", "user_id", "day"])
    op.drop_index("event_days_shop_user", table_name="event_days")


def downgrade() -> None:
    event_days = earlier_revision("0017_event_days.py")
    op.create_index("event_days_shop_user", "event_days", ["shop_id", "user_id"])
    op.drop_index("event_days_shop_user_day", table_name="event_days")
    op.execute(replacing(event_days.PAIRS_FUNCTION_SQL))
    op.execute(event_days.REFRESH_FUNCTION_SQL)
    op.execute("DROP FUNCTION refresh_event_days(text[], text[], date[])")
