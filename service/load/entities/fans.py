"""fans.csv: follow stints ``[followed_at, unfollowed_at)``, never overlapping for one user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from service.load.cells import parse_id, parse_timestamp
from service.load.spec import Column, Entity, positions

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_fans (
    line integer NOT NULL,
    shop_id text NOT NULL,
    user_id text NOT NULL,
    followed_at timestamptz NOT NULL,
    unfollowed_at timestamptz
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_fans
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_fans
"""

DELETE_STAGED_SQL = """
DELETE FROM load_fans
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, '-' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_fans AS s
JOIN (
    SELECT shop_id, user_id, followed_at, min(line) AS first_line
    FROM load_fans
    GROUP BY shop_id, user_id, followed_at
    HAVING count(*) > 1
) AS d ON d.shop_id = s.shop_id AND d.user_id = s.user_id AND d.followed_at = s.followed_at
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'shop_id', 'unknown shop'
FROM load_fans AS s
WHERE NOT EXISTS (SELECT FROM shops AS t WHERE t.shop_id = s.shop_id)
UNION ALL
SELECT s.line, 'user_id', 'unknown user'
FROM load_fans AS s
WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.user_id = s.user_id)
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_fans
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

# A stored stint with the same key is the one being updated, so the file's version of it
# is what counts; every other stored stint of the same shop and user is kept as it is.
OVERLAP_SQL = """
WITH kept AS (
    SELECT t.shop_id, t.user_id, t.followed_at, tstzrange(t.followed_at, t.unfollowed_at) AS span
    FROM fans AS t
    WHERE EXISTS (
        SELECT
        FROM load_fans AS s
        WHERE s.shop_id = t.shop_id
        AND s.user_id = t.user_id
    )
    AND NOT EXISTS (
        SELECT
        FROM load_fans AS s
        WHERE s.shop_id = t.shop_id
        AND s.user_id = t.user_id
        AND s.followed_at = t.followed_at
    )
)
SELECT s.line, '-' AS column_name, 'overlaps the stint at line ' || min(o.line) AS reason
FROM load_fans AS s
JOIN load_fans AS o
    ON o.shop_id = s.shop_id
    AND o.user_id = s.user_id
    AND o.line < s.line
    AND tstzrange(o.followed_at, o.unfollowed_at) && tstzrange(s.followed_at, s.unfollowed_at)
GROUP BY s.line
UNION ALL
SELECT
    s.line,
    '-',
    'overlaps the stored stint followed at '
    || to_char(min(k.followed_at) AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS')
FROM load_fans AS s
JOIN kept AS k
    ON k.shop_id = s.shop_id
    AND k.user_id = s.user_id
    AND k.span && tstzrange(s.followed_at, s.unfollowed_at)
GROUP BY s.line
"""

MERGE_SQL = """
WITH merged AS (
    INSERT INTO fans AS t (shop_id, user_id, followed_at, unfollowed_at)
    SELECT s.shop_id, s.user_id, s.followed_at, s.unfollowed_at
    FROM load_fans AS s
    ON CONFLICT (shop_id, user_id, followed_at) DO UPDATE
    SET unfollowed_at = EXCLUDED.unfollowed_at
    WHERE t.unfollowed_at IS DISTINCT FROM EXCLUDED.unfollowed_at
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


COLUMNS = (
    Column("shop_id", parse_id, required=True),
    Column("user_id", parse_id, required=True),
    Column("followed_at", parse_timestamp, required=True),
    Column("unfollowed_at", parse_timestamp),
)
FOLLOWED_AT, UNFOLLOWED_AT = positions(COLUMNS, "followed_at", "unfollowed_at")


def check_fan(record: Sequence[object]) -> list[tuple[str, str]]:
    """A stint cannot end before it starts."""
    followed_at, unfollowed_at = record[FOLLOWED_AT], record[UNFOLLOWED_AT]
    if isinstance(unfollowed_at, datetime) and isinstance(followed_at, datetime):
        if unfollowed_at < followed_at:
            return [("unfollowed_at", "before followed_at")]
    return []


FANS = Entity(
    file="fans.csv",
    stage_table="load_fans",
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    overlap_sql=OVERLAP_SQL,
    merge_sql=MERGE_SQL,
    check_row=check_fan,
)
