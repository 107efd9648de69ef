"""The member steps take a statement's net change only.

A statement rewriting a stint (an activity event or an order added to it) took all of
the old row's steps off its shop's days and months and put all of the new row's back:
two writes of every day the stint's counts change on, most of them the same. The steps of
the removed and the written rows are now netted per (shop, day) first, as the member
recency's points are (migration 0013), and only the days whose counts change are written.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

from alembic import op

from service.db.revisions import earlier_revision, edited

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0015's head and change of one set of rows times a sign, and the netted change of the
# removed rows and the written ones.
ADD_HEAD = (
    "CREATE OR REPLACE FUNCTION add_member_steps(p_rows member_activity[], p_sign int, p_zone text)"
)
CHANGE_HEAD = """CREATE FUNCTION change_member_steps(
    p_old member_activity[], p_new member_activity[], p_zone text
)"""
ADD_CHANGE = """    WITH change AS MATERIALIZED (
        SELECT r.shop_id, s.day, p_sign * sum(s.members) AS members,
               p_sign * sum(s.quality) AS quality, p_sign * sum(s.potential) AS potential,
               p_sign * sum(s.monthly_active) AS monthly_active
        FROM unnest(p_rows) AS r
        CROSS JOIN LATERAL member_stint_steps(r, p_zone) AS s
        GROUP BY r.shop_id, s.day
    ),"""
NET_CHANGE = """    WITH change AS MATERIALIZED (
        SELECT r.shop_id, s.day, sum(r.sign * s.members) AS members,
               sum(r.sign * s.quality) AS quality, sum(r.sign * s.potential) AS potential,
               sum(r.sign * s.monthly_active) AS monthly_active
        FROM (
            SELECT o AS a, o.shop_id, -1 AS sign FROM unnest(p_old) AS o
            UNION ALL
            SELECT n, n.shop_id, 1 FROM unnest(p_new) AS n
        ) AS r
        CROSS JOIN LATERAL member_stint_steps(r.a, p_zone) AS s
        GROUP BY r.shop_id, s.day
        HAVING sum(r.sign * s.members) <> 0
            OR sum(r.sign * s.quality) <> 0
            OR sum(r.sign * s.potential) <> 0
            OR sum(r.sign * s.monthly_active) <> 0
    ),"""

# 0013's trigger function: one netted change instead of the two signed ones.
SIGNED_CALLS = """    IF old_rows_array IS NOT NULL THEN
        PERFORM add_member_steps(old_rows_array, -1, day_zone);
    END IF;
    IF new_rows_array IS NOT NULL THEN
        PERFORM add_member_steps(new_rows_array, 1, day_zone);
    END IF;
    IF old_rows_array IS NOT NULL OR new_rows_array IS NOT NULL THEN
        PERFORM change_member_recency("""
NETTED_CALLS = """    IF old_rows_array IS NOT NULL OR new_rows_array IS NOT NULL THEN
        PERFORM change_member_steps(
            coalesce(old_rows_array, '{}'), coalesce(new_rows_array, '{}'), day_zone
        );
        PERFORM change_member_recency("""


def upgrade() -> None:
    months = earlier_revision("0015_member_step_months.py")
    op.execute(
        edited(months.ADD_STEPS_FUNCTION_SQL, (ADD_HEAD, CHANGE_HEAD), (ADD_CHANGE, NET_CHANGE))
    )
    recency = earlier_revision("0013_member_recency.py")
    op.execute(edited(recency.STEPS_CHANGE_FUNCTION_SQL, (SIGNED_CALLS, NETTED_CALLS)))
    op.execute("DROP FUNCTION add_member_steps(member_activity[], int, text)")


def downgrade() -> None:
    op.execute(earlier_revision("0015_member_step_months.py").ADD_STEPS_FUNCTION_SQL)
    op.execute(earlier_revision("0013_member_recency.py").STEPS_CHANGE_FUNCTION_SQL)
    op.execute("DROP FUNCTION change_member_steps(member_activity[], member_activity[], text)")
