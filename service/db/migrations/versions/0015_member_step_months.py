"""Member step months: the member steps of each shop summed per calendar month, kept with
them, so that a count at day D sums the months before D's month and the days of its month
up to D (at most about 60 rows) rather than every day up to D (hundreds).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service.db.revisions import earlier_revision, edited, replacing

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("members", "quality_members", "potential_members", "monthly_active_members")

# Adds p_sign times the steps of p_rows to their days and months; rows left all zero go.
ADD_STEPS_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION add_member_steps(p_rows member_activity[], p_sign int, p_zone text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    zero_shops text[];
    zero_days date[];
    zero_month_shops text[];
    zero_months date[];
BEGIN
    WITH change AS MATERIALIZED (
        SELECT r.shop_id, s.day, p_sign * sum(s.members) AS members,
               p_sign * sum(s.quality) AS quality, p_sign * sum(s.potential) AS potential,
               p_sign * sum(s.monthly_active) AS monthly_active
        FROM unnest(p_rows) AS r
        CROSS JOIN LATERAL member_stint_steps(r, p_zone) AS s
        GROUP BY r.shop_id, s.day
    ),
    days AS (
        INSERT INTO member_steps AS t
            (shop_id, day, members, quality_members, potential_members,
             monthly_active_members)
        SELECT * FROM change ORDER BY shop_id, day  -- one order for every writer
        ON CONFLICT (shop_id, day) DO UPDATE SET
            members = t.members + excluded.members,
            quality_members = t.quality_members + excluded.quality_members,
            potential_members = t.potential_members + excluded.potential_members,
            monthly_active_members = t.monthly_active_members + excluded.monthly_active_members
        RETURNING t.*
    ),
    months AS (
        INSERT INTO member_step_months AS t
            (shop_id, month, members, quality_members, potential_members,
             monthly_active_members)
        SELECT shop_id, date_trunc('month', day::timestamp)::date, sum(members), sum(quality),
               sum(potential), sum(monthly_active)
        FROM change
        GROUP BY 1, 2
        ORDER BY 1, 2
        ON CONFLICT (shop_id, month) DO UPDATE SET
            members = t.members + excluded.members,
            quality_members = t.quality_members + excluded.quality_members,
            potential_members = t.potential_members + excluded.potential_members,
            monthly_active_members = t.monthly_active_members + excluded.monthly_active_members
        RETURNING t.*
    )
    SELECT
        (SELECT array_agg(shop_id) FROM days WHERE (members, quality_members,
            potential_members, monthly_active_members) = (0, 0, 0, 0)),
        (SELECT array_agg(day) FROM days WHERE (members, quality_members,
            potential_members, monthly_active_members) = (0, 0, 0, 0)),
        (SELECT array_agg(shop_id) FROM months WHERE (members, quality_members,
            potential_members, monthly_active_members) = (0, 0, 0, 0)),
        (SELECT array_agg(month) FROM months WHERE (members, quality_members,
            potential_members, monthly_active_members) = (0, 0, 0, 0))
    INTO zero_shops, zero_days, zero_month_shops, zero_months;
    -- rows left all zero go
    IF zero_shops IS NOT NULL THEN
        DELETE FROM member_steps t
        USING unnest(zero_shops, zero_days) AS z(shop_id, day)
        WHERE t.shop_id = z.shop_id AND t.day = z.day;
    END IF;
    IF zero_month_shops IS NOT NULL THEN
        DELETE FROM member_step_months t
        USING unnest(zero_month_shops, zero_months) AS z(shop_id, month)
        WHERE t.shop_id = z.shop_id AND t.month = z.month;
    END IF;
END
$$
"""

# 0013's build step and emptying, with the months.
REFRESH_END = """    GROUP BY a.shop_id, p.day;
END"""
MONTHS_REFRESH_END = """    GROUP BY a.shop_id, p.day;
    DELETE FROM member_step_months WHERE shop_id = any(p_shops);
    INSERT INTO member_step_months
    SELECT shop_id, date_trunc('month', day::timestamp)::date, sum(members), sum(quality_members),
           sum(potential_members), sum(monthly_active_members)
    FROM member_steps
    WHERE shop_id = any(p_shops)
    GROUP BY 1, 2;
END"""
TRUNCATE = "TRUNCATE member_steps, member_recency;"
MONTHS_TRUNCATE = "TRUNCATE member_steps, member_recency, member_step_months;"


def upgrade() -> None:
    op.create_table(
        "member_step_months",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.PrimaryKeyConstraint("shop_id", "month"),
    )
    op.execute(ADD_STEPS_FUNCTION_SQL)
    recency = earlier_revision("0013_member_recency.py")
    op.execute(edited(recency.STEPS_REFRESH_FUNCTION_SQL, (REFRESH_END, MONTHS_REFRESH_END)))
    op.execute(edited(recency.STEPS_TRUNCATE_FUNCTION_SQL, (TRUNCATE, MONTHS_TRUNCATE)))
    # built with the member steps by the next `memberlens migrate`
    op.execute("UPDATE member_steps_state SET ready = false")


def downgrade() -> None:
    steps = earlier_revision("0011_member_steps.py")
    op.execute(replacing(steps.ADD_STEPS_FUNCTION_SQL))
    recency = earlier_revision("0013_member_recency.py")
    op.execute(recency.STEPS_REFRESH_FUNCTION_SQL)
    op.execute(recency.STEPS_TRUNCATE_FUNCTION_SQL)
    op.drop_table("member_step_months")
