"""Member recency: for each shop and business day, the last activity days of the stints
whose last activity day changes at that day's midnight, kept with the member steps.

A member in force at E (the midnight starting day D) is active in a period S … D−1 when
its last activity event or order before E falls on or after S. Over the days a stint is
in force, that last day is x on the days after x up to its member's next activity day:
one *segment* per activity day x, its days ``[x + 1, next day]`` within the stint's
in-force days, starting at a and ending after b. The active members of (S, D) are the
segments covering D with x ≥ S; as +1 at a and −1 at b + 1, with their x, they are the
points of days up to D with x ≥ S, and since x < a and x < b + 1, only the points of
days S + 1 … D have x ≥ S. So a row per (shop, day) holds the x of the segments starting
that day (``starts``) and of those that ended the day before (``ends``), each sorted: the
active members of (S, D) are, summed over the days S + 1 … D, the elements of ``starts``
from S on less those of ``ends`` (``resolvers/engine/member_steps_sql.py``).

Kept and built with the member steps (migration 0011), in their zone: the trigger on
``member_activity`` takes the points of the rows a statement removed and adds those of the
rows it wrote, the net change of each (shop, day) applied to its arrays.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from service.db.revisions import earlier_revision, replacing

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The points of one stint: (day, x, +1) where a segment starts, (day, x, -1) the day after
# one ends.
STINT_POINTS_FUNCTION_SQL = """
CREATE FUNCTION member_stint_recency(a member_activity, p_zone text)
RETURNS TABLE (day date, x date, step int)
LANGUAGE sql STABLE AS $$
    WITH days AS (
        SELECT (lower(r) AT TIME ZONE p_zone)::date AS x FROM unnest(a.activity_at) AS r
        UNION
        SELECT (lower(r) AT TIME ZONE p_zone)::date FROM unnest(a.ordered_at) AS r
    ),
    segments AS (
        SELECT
            x,
            daterange(x + 1, lead(x) OVER (ORDER BY x) + 1)
            * daterange(
                (a.joined_at AT TIME ZONE p_zone)::date + 1,
                (a.left_at AT TIME ZONE p_zone)::date + 1
            ) AS days
        FROM days
    )
    SELECT lower(days), x, 1 FROM segments WHERE NOT isempty(days)
    UNION ALL
    SELECT upper(days), x, -1 FROM segments WHERE NOT isempty(days) AND NOT upper_inf(days)
$$
"""

# A multiset of days: p_days less p_removed plus p_added, sorted.
MULTISET_FUNCTION_SQL = """
CREATE FUNCTION sorted_days_change(p_days date[], p_removed date[], p_added date[])
RETURNS date[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(v ORDER BY v), '{}')
    FROM (
        (SELECT unnest(p_days) EXCEPT ALL SELECT unnest(p_removed))
        UNION ALL
        SELECT unnest(p_added)
    ) AS t(v)
$$
"""

# The net change of the points of p_old (removed) and p_new (written) applied to each
# (shop, day) they fall on; cells left empty removed.
CHANGE_FUNCTION_SQL = """
CREATE FUNCTION change_member_recency(
    p_old member_activity[], p_new member_activity[], p_zone text
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    empty_shops text[];
    empty_days date[];
BEGIN
    WITH points AS (
        SELECT r.shop_id, p.day, p.x, p.step, sum(r.sign)::int AS n
        FROM (
            SELECT o AS a, o.shop_id, -1 AS sign FROM unnest(p_old) AS o
            UNION ALL
            SELECT n, n.shop_id, 1 FROM unnest(p_new) AS n
        ) AS r
        CROSS JOIN LATERAL member_stint_recency(r.a, p_zone) AS p
        GROUP BY r.shop_id, p.day, p.x, p.step
        HAVING sum(r.sign) <> 0
    ),
    cells AS (
        SELECT
            shop_id,
            day,
            coalesce(array_agg(x) FILTER (WHERE step = 1 AND n < 0), '{}') AS starts_removed,
            coalesce(array_agg(x) FILTER (WHERE step = 1 AND n > 0), '{}') AS starts_added,
            coalesce(array_agg(x) FILTER (WHERE step = -1 AND n < 0), '{}') AS ends_removed,
            coalesce(array_agg(x) FILTER (WHERE step = -1 AND n > 0), '{}') AS ends_added
        FROM points
        CROSS JOIN LATERAL generate_series(1, abs(n))
        GROUP BY shop_id, day
    ),
    updated AS (
        UPDATE member_recency t
        SET
            starts = sorted_days_change(t.starts, c.starts_removed, c.starts_added),
            ends = sorted_days_change(t.ends, c.ends_removed, c.ends_added)
        FROM cells c
        WHERE t.shop_id = c.shop_id AND t.day = c.day
        RETURNING t.shop_id, t.day, t.starts, t.ends
    ),
    inserted AS (
        INSERT INTO member_recency (shop_id, day, starts, ends)
        SELECT
            c.shop_id,
            c.day,
            sorted_days_change('{}', '{}', c.starts_added),
            sorted_days_change('{}', '{}', c.ends_added)
        FROM cells c
        WHERE NOT EXISTS (
            SELECT 1 FROM updated u WHERE u.shop_id = c.shop_id AND u.day = c.day
        )
        ORDER BY c.shop_id, c.day
    )
    SELECT array_agg(shop_id), array_agg(day) INTO empty_shops, empty_days
    FROM updated
    WHERE cardinality(starts) = 0 AND cardinality(ends) = 0;
    IF empty_shops IS NOT NULL THEN
        DELETE FROM member_recency t
        USING unnest(empty_shops, empty_days) AS z(shop_id, day)
        WHERE t.shop_id = z.shop_id AND t.day = z.day;
    END IF;
END
$$
"""

# The member steps' functions again, keeping the recency too (and only then the steps'
# state says the recency is kept and ready).
STEPS_CHANGE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION member_steps_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
    old_rows_array member_activity[];
    new_rows_array member_activity[];
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT zone INTO day_zone FROM member_steps_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT array_agg(ROW(o.*)::member_activity) INTO old_rows_array FROM old_rows o;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT array_agg(ROW(n.*)::member_activity) INTO new_rows_array FROM new_rows n;
    END IF;
    IF old_rows_array IS NOT NULL THEN
        PERFORM add_member_steps(old_rows_array, -1, day_zone);
    END IF;
    IF new_rows_array IS NOT NULL THEN
        PERFORM add_member_steps(new_rows_array, 1, day_zone);
    END IF;
    IF old_rows_array IS NOT NULL OR new_rows_array IS NOT NULL THEN
        PERFORM change_member_recency(
            coalesce(old_rows_array, '{}'), coalesce(new_rows_array, '{}'), day_zone
        );
    END IF;
    RETURN NULL;
END
$$
"""

STEPS_REFRESH_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION refresh_member_steps(p_shops text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    SELECT zone INTO day_zone FROM member_steps_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM member_steps WHERE shop_id = any(p_shops);
    INSERT INTO member_steps
    SELECT a.shop_id, s.day, sum(s.members), sum(s.quality), sum(s.potential),
           sum(s.monthly_active)
    FROM member_activity a
    CROSS JOIN LATERAL member_stint_steps(a, day_zone) AS s
    WHERE a.shop_id = any(p_shops)
    GROUP BY a.shop_id, s.day
    HAVING sum(s.members) <> 0 OR sum(s.quality) <> 0 OR sum(s.potential) <> 0
        OR sum(s.monthly_active) <> 0;
    DELETE FROM member_recency WHERE shop_id = any(p_shops);
    INSERT INTO member_recency
    SELECT
        a.shop_id,
        p.day,
        coalesce(array_agg(p.x ORDER BY p.x) FILTER (WHERE p.step = 1), '{}'),
        coalesce(array_agg(p.x ORDER BY p.x) FILTER (WHERE p.step = -1), '{}')
    FROM member_activity a
    CROSS JOIN LATERAL member_stint_recency(a, day_zone) AS p
    WHERE a.shop_id = any(p_shops)
    GROUP BY a.shop_id, p.day;
END
$$
"""

STEPS_TRUNCATE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION member_steps_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE member_steps_state SET zone = NULL, ready = false;
    TRUNCATE member_steps, member_recency;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "member_recency",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", ARRAY(sa.Date()), nullable=False),
        sa.Column("ends", ARRAY(sa.Date()), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "day"),
    )
    for sql in (
        STINT_POINTS_FUNCTION_SQL,
        MULTISET_FUNCTION_SQL,
        CHANGE_FUNCTION_SQL,
        STEPS_CHANGE_FUNCTION_SQL,
        STEPS_REFRESH_FUNCTION_SQL,
        STEPS_TRUNCATE_FUNCTION_SQL,
    ):
        op.execute(sql)
    # built with the member steps by the next `memberlens migrate`
    op.execute("UPDATE member_steps_state SET ready = false")


def downgrade() -> None:
    steps = earlier_revision("0011_member_steps.py")
    for sql in (
        steps.CHANGE_FUNCTION_SQL,
        steps.REFRESH_FUNCTION_SQL,
        steps.TRUNCATE_FUNCTION_SQL,
    ):
        op.execute(replacing(sql))
    op.execute("DROP FUNCTION change_member_recency(member_activity[], member_activity[], text)")
    op.execute("DROP FUNCTION sorted_days_change(date[], date[], date[])")
    op.execute("DROP FUNCTION member_stint_recency(member_activity, text)")
    op.drop_table("member_recency")
