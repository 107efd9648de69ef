"""The member activity of inserted events and orders added to the stored instants.

An insert into events or orders rebuilt the member activity of every (shop, user) pair it
touched from all the pair's events and orders: a day of the platform read the whole
history of tens of thousands of members, page by page. A stint's instants are the union
of its pair's activity-event instants and order instants, and an insert only adds
instants, so the stored multiranges now gain the inserted rows' instants, with no read of
the history; a row changes only where an instant is new. Updates and deletes of events
and orders, and every change of stints, still rebuild their pairs.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The activity event types of 0007, as they were.
ADD_MEMBER_ACTIVITY_SQL = """
CREATE FUNCTION add_member_activity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kept boolean;
BEGIN
    -- locked, so that a writer whose snapshot predates a build fails rather than skip
    SELECT s.kept INTO kept FROM member_activity_state s FOR KEY SHARE;
    IF NOT kept THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'events' THEN
        UPDATE member_activity AS a
        SET activity_at = a.activity_at + n.instants
        FROM (
            SELECT shop_id, user_id, range_agg(tstzrange(occurred_at, occurred_at, '[]'))
                AS instants
            FROM new_rows
            WHERE type IN (
                'shop_visit', 'live_watch', 'video_watch', 'benefit_claim',
                'points_interaction'
            )
            GROUP BY shop_id, user_id
        ) AS n
        WHERE a.shop_id = n.shop_id
          AND a.user_id = n.user_id
          AND NOT a.activity_at @> n.instants;
    ELSE
        UPDATE member_activity AS a
        SET ordered_at = a.ordered_at + n.instants
        FROM (
            SELECT shop_id, user_id, range_agg(tstzrange(paid_at, paid_at, '[]')) AS instants
            FROM new_rows
            GROUP BY shop_id, user_id
        ) AS n
        WHERE a.shop_id = n.shop_id
          AND a.user_id = n.user_id
          AND NOT a.ordered_at @> n.instants;
    END IF;
    RETURN NULL;
END
$$
"""


def _retrigger(table: str, function: str) -> None:
    op.execute(f"DROP TRIGGER {table}_member_activity_insert ON {table}")
    op.execute(
        f"CREATE TRIGGER {table}_member_activity_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def upgrade() -> None:
    op.execute(ADD_MEMBER_ACTIVITY_SQL)
    for table in ("events", "orders"):
        _retrigger(table, "add_member_activity")


def downgrade() -> None:
    for table in ("events", "orders"):
        _retrigger(table, "member_activity_after_change")
    op.execute("DROP FUNCTION add_member_activity()")
