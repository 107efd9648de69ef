"""Member activity: each membership stint with its member's activity instants and order
instants at the shop (as multiranges), kept up to date by triggers on every table they
depend on.

Whether a member in force at a period's end E was active in the period, in the 30 days
before E, ordered in the 365 days before E or had an activity event in the 90 days before
E depends on the member's last activity event and last order before E. The raw statement
finds them with two index probes per member into the events and orders; with this table
they are in the stint's own row (``resolvers/engine/members_sql.py``). The triggers rebuild
the rows of every (shop, user) pair a statement on ``members``, ``events`` or ``orders``
touches, in the statement's transaction, once ``member_activity_state`` says the rows are
kept; ``memberlens migrate`` builds them for every shop, then marks them ready.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSTZMULTIRANGE

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The pairs' stints again, each with the member's activity and order instants (each a
# one-instant range of a multirange: "any in [a, b)?" is one search).
# The activity types are those of vocabulary.ACTIVITY_TYPES when this revision was written.
REFRESH_FUNCTION_SQL = """
CREATE FUNCTION refresh_member_activity(p_shops text[], p_users text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    kept boolean;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT s.kept INTO kept FROM member_activity_state s FOR KEY SHARE;
    IF NOT kept THEN
        RETURN;
    END IF;
    DELETE FROM member_activity a
    USING unnest(p_shops, p_users) AS t(shop_id, user_id)
    WHERE a.shop_id = t.shop_id AND a.user_id = t.user_id;
    INSERT INTO member_activity
    WITH pairs AS (
        SELECT DISTINCT shop_id, user_id
        FROM unnest(p_shops, p_users) AS t(shop_id, user_id)
    )
    SELECT
        m.shop_id,
        m.user_id,
        m.joined_at,
        m.left_at,
        m.join_channel,
        coalesce(
            (
                SELECT range_agg(tstzrange(e.occurred_at, e.occurred_at, '[]'))
                FROM events e
                WHERE e.shop_id = m.shop_id
                  AND e.user_id = m.user_id
                  AND e.type IN (
                      'shop_visit', 'live_watch', 'video_watch', 'benefit_claim',
                      'points_interaction'
                  )
            ),
            '{}'::tstzmultirange
        ),
        coalesce(
            (
                SELECT range_agg(tstzrange(o.paid_at, o.paid_at, '[]'))
                FROM orders o
                WHERE o.shop_id = m.shop_id AND o.user_id = m.user_id
            ),
            '{}'::tstzmultirange
        )
    FROM pairs
    JOIN members m ON m.shop_id = pairs.shop_id AND m.user_id = pairs.user_id;
END
$$
"""

# Read in the same statement as the rows: a reading that started after a rebuild began
# fails (and is retried) rather than read rows being rebuilt.
READY_FUNCTION_SQL = """
CREATE FUNCTION member_activity_ready() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT (SELECT ready FROM member_activity_state) THEN
        RAISE EXCEPTION 'the member activity is being rebuilt'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN true;
END
$$
"""

# One function behind every trigger: the pairs of the rows a statement changed.
CHANGE_FUNCTION_SQL = """
CREATE FUNCTION member_activity_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refresh_member_activity(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM new_rows) AS changed;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM refresh_member_activity(array_agg(shop_id), array_agg(user_id))
        FROM (
            SELECT shop_id, user_id FROM old_rows
            UNION
            SELECT shop_id, user_id FROM new_rows
        ) AS changed;
    ELSE
        PERFORM refresh_member_activity(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM old_rows) AS changed;
    END IF;
    RETURN NULL;
END
$$
"""

# Truncated stints leave no rows; truncated events or orders empty every row's instants.
TRUNCATE_FUNCTION_SQL = """
CREATE FUNCTION member_activity_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'members' THEN
        DELETE FROM member_activity;
    ELSE
        PERFORM refresh_member_activity(array_agg(shop_id), array_agg(user_id))
        FROM (SELECT DISTINCT shop_id, user_id FROM member_activity) AS kept;
    END IF;
    RETURN NULL;
END
$$
"""

SOURCE_TABLES = ("members", "events", "orders")

TRANSITIONS = {
    "insert": "INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    instants = TSTZMULTIRANGE()
    op.create_table(
        "member_activity",
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("join_channel", sa.Text(), nullable=False),
        sa.Column("activity_at", instants, nullable=False),
        sa.Column("ordered_at", instants, nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "user_id", "joined_at"),
    )
    op.create_table(
        "member_activity_state",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute(
        "INSERT INTO member_activity_state (singleton, kept, ready) VALUES (true, false, false)"
    )
    op.execute(REFRESH_FUNCTION_SQL)
    op.execute(READY_FUNCTION_SQL)
    op.execute(CHANGE_FUNCTION_SQL)
    op.execute(TRUNCATE_FUNCTION_SQL)
    for table in SOURCE_TABLES:
        for event, transition in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_member_activity_{event} "
                f"AFTER {transition.format(table=table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION member_activity_after_change()"
            )
        op.execute(
            f"CREATE TRIGGER {table}_member_activity_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION member_activity_after_truncate()"
        )


def downgrade() -> None:
    for table in SOURCE_TABLES:
        for event in (*TRANSITIONS, "truncate"):
            op.execute(f"DROP TRIGGER {table}_member_activity_{event} ON {table}")
    op.execute("DROP FUNCTION member_activity_after_truncate()")
    op.execute("DROP FUNCTION member_activity_after_change()")
    op.execute("DROP FUNCTION member_activity_ready()")
    op.execute("DROP FUNCTION refresh_member_activity(text[], text[])")
    op.drop_table("member_activity_state")
    op.drop_table("member_activity")
