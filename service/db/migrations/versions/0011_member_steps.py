"""Member steps: how a shop's member counts at a business day's midnight change from the
day before, kept from the member activity by triggers on it.

A count at the start of day D is read at E = D 00:00 in the business time zone. Each stint
of the member activity (migration 0007) counts towards it on a set of days:

- in force (``joined_at < E <= left_at``): the days after the join's day, through the
  leave's day;
- quality: in force, and an order on one of the 365 days before D;
- potential: in force, not quality, and an activity event on one of the 90 days before D;
- 30-day active: in force, and an activity event or an order on one of the 30 days before D.

Each set is a date multirange; +1 on the first day of each of its ranges and -1 on the
day after the last, summed per (shop, day), are the rows of ``member_steps``: a count at D
is the sum of its shop's rows up to D (``resolvers/engine/member_steps_sql.py``). A stint's
steps depend on its own row only, so the triggers on ``member_activity`` take the steps of
the rows a statement removed off and add those of the rows it wrote, in its transaction.
``memberlens migrate`` sets the zone, builds every shop's rows from the member activity,
then marks them ready; nothing reads them before. Emptying the member activity empties the
steps and stops keeping them until the next build.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# +1 on the first day of each range of a date multirange, -1 on the day after its last.
DAY_STEPS_FUNCTION_SQL = """
CREATE FUNCTION day_steps(p_days datemultirange) RETURNS TABLE (day date, step int)
LANGUAGE sql IMMUTABLE AS $$
    SELECT lower(r), 1 FROM unnest(p_days) AS r
    UNION ALL
    SELECT upper(r), -1 FROM unnest(p_days) AS r WHERE NOT upper_inf(r)
$$
"""

# The days of each count of one stint (a row of member_activity), in zone p_zone, as steps.
STINT_STEPS_FUNCTION_SQL = """
CREATE FUNCTION member_stint_steps(a member_activity, p_zone text)
RETURNS TABLE (day date, members int, quality int, potential int, monthly_active int)
LANGUAGE sql STABLE AS $$
    WITH instants AS (
        SELECT (lower(r) AT TIME ZONE p_zone)::date AS day, false AS is_order
        FROM unnest(a.activity_at) AS r
        UNION ALL
        SELECT (lower(r) AT TIME ZONE p_zone)::date, true
        FROM unnest(a.ordered_at) AS r
    ),
    after AS (
        SELECT
            coalesce(range_agg(daterange(day + 1, day + 366)) FILTER (WHERE is_order),
                     '{}') AS ordered,
            coalesce(range_agg(daterange(day + 1, day + 91)) FILTER (WHERE NOT is_order),
                     '{}') AS recent,
            coalesce(range_agg(daterange(day + 1, day + 31)), '{}') AS month
        FROM instants
    ),
    sets AS (
        SELECT
            in_force,
            in_force * ordered AS quality,
            (in_force * recent) - ordered AS potential,
            in_force * month AS monthly_active
        FROM after
        CROSS JOIN (
            SELECT datemultirange(daterange(
                (a.joined_at AT TIME ZONE p_zone)::date + 1,
                (a.left_at AT TIME ZONE p_zone)::date + 1
            )) AS in_force
        ) AS stint
    )
    SELECT day, sum(members)::int, sum(quality)::int, sum(potential)::int,
           sum(monthly_active)::int
    FROM (
        SELECT s.day, s.step AS members, 0 AS quality, 0 AS potential, 0 AS monthly_active
        FROM sets, day_steps(sets.in_force) AS s
        UNION ALL
        SELECT s.day, 0, s.step, 0, 0 FROM sets, day_steps(sets.quality) AS s
        UNION ALL
        SELECT s.day, 0, 0, s.step, 0 FROM sets, day_steps(sets.potential) AS s
        UNION ALL
        SELECT s.day, 0, 0, 0, s.step FROM sets, day_steps(sets.monthly_active) AS s
    ) AS steps
    GROUP BY day
$$
"""

# Adds p_sign times the steps of p_rows (rows of member_activity) to their shops' rows,
# then removes the rows left all zero.
ADD_STEPS_FUNCTION_SQL = """
CREATE FUNCTION add_member_steps(p_rows member_activity[], p_sign int, p_zone text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    zero_shops text[];
    zero_days date[];
BEGIN
    WITH added AS (
        INSERT INTO member_steps AS t
            (shop_id, day, members, quality_members, potential_members,
             monthly_active_members)
        SELECT r.shop_id, s.day, p_sign * sum(s.members), p_sign * sum(s.quality),
               p_sign * sum(s.potential), p_sign * sum(s.monthly_active)
        FROM unnest(p_rows) AS r
        CROSS JOIN LATERAL member_stint_steps(r, p_zone) AS s
        GROUP BY r.shop_id, s.day
        ORDER BY r.shop_id, s.day  -- one order for every writer
        ON CONFLICT (shop_id, day) DO UPDATE SET
            members = t.members + excluded.members,
            quality_members = t.quality_members + excluded.quality_members,
            potential_members = t.potential_members + excluded.potential_members,
            monthly_active_members = t.monthly_active_members + excluded.monthly_active_members
        RETURNING t.*
    )
    SELECT array_agg(shop_id), array_agg(day) INTO zero_shops, zero_days
    FROM added
    WHERE members = 0
      AND quality_members = 0
      AND potential_members = 0
      AND monthly_active_members = 0;
    IF zero_shops IS NOT NULL THEN
        DELETE FROM member_steps t
        USING unnest(zero_shops, zero_days) AS z(shop_id, day)
        WHERE t.shop_id = z.shop_id AND t.day = z.day;
    END IF;
END
$$
"""

# The rows of the shops p_shops again from their member activity (a build step).
REFRESH_FUNCTION_SQL = """
CREATE FUNCTION refresh_member_steps(p_shops text[]) RETURNS void
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
END
$$
"""

READY_FUNCTION_SQL = """
CREATE FUNCTION member_steps_ready(p_zone text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM member_steps_state WHERE ready AND zone = p_zone) THEN
        RAISE EXCEPTION 'the member steps are being rebuilt'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN true;
END
$$
"""

# The steps of the rows a statement removed, taken off; of those it wrote, added.
CHANGE_FUNCTION_SQL = """
CREATE FUNCTION member_steps_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    day_zone text;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT zone INTO day_zone FROM member_steps_state FOR KEY SHARE;
    IF day_zone IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM add_member_steps(array_agg(ROW(o.*)::member_activity), -1, day_zone)
        FROM old_rows o
        HAVING count(*) > 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM add_member_steps(array_agg(ROW(n.*)::member_activity), 1, day_zone)
        FROM new_rows n
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$
"""

# An emptied member activity (a rebuild starting): the steps are emptied and not kept
# until the next build.
TRUNCATE_FUNCTION_SQL = """
CREATE FUNCTION member_steps_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE member_steps_state SET zone = NULL, ready = false;
    TRUNCATE member_steps;
    RETURN NULL;
END
$$
"""

TRANSITIONS = {
    "insert": "INSERT ON member_activity REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON member_activity REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON member_activity REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.create_table(
        "member_steps",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("quality_members", sa.Integer(), nullable=False),
        sa.Column("potential_members", sa.Integer(), nullable=False),
        sa.Column("monthly_active_members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "day"),
    )
    op.create_table(
        "member_steps_state",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute("INSERT INTO member_steps_state (singleton, zone, ready) VALUES (true, NULL, false)")
    for sql in (
        DAY_STEPS_FUNCTION_SQL,
        STINT_STEPS_FUNCTION_SQL,
        ADD_STEPS_FUNCTION_SQL,
        REFRESH_FUNCTION_SQL,
        READY_FUNCTION_SQL,
        CHANGE_FUNCTION_SQL,
        TRUNCATE_FUNCTION_SQL,
    ):
        op.execute(sql)
    for event, transition in TRANSITIONS.items():
        op.execute(
            f"CREATE TRIGGER member_activity_steps_{event} AFTER {transition} "
            "FOR EACH STATEMENT EXECUTE FUNCTION member_steps_after_change()"
        )
    op.execute(
        "CREATE TRIGGER member_activity_steps_truncate AFTER TRUNCATE ON member_activity "
        "FOR EACH STATEMENT EXECUTE FUNCTION member_steps_after_truncate()"
    )


def downgrade() -> None:
    for event in (*TRANSITIONS, "truncate"):
        op.execute(f"DROP TRIGGER member_activity_steps_{event} ON member_activity")
    op.execute("DROP FUNCTION member_steps_after_truncate()")
    op.execute("DROP FUNCTION member_steps_after_change()")
    op.execute("DROP FUNCTION member_steps_ready(text)")
    op.execute("DROP FUNCTION refresh_member_steps(text[])")
    op.execute("DROP FUNCTION add_member_steps(member_activity[], int, text)")
    op.execute("DROP FUNCTION member_stint_steps(member_activity, text)")
    op.execute("DROP FUNCTION day_steps(datemultirange)")
    op.drop_table("member_steps_state")
    op.drop_table("member_steps")
