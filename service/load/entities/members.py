"""members.csv: membership stints ``[joined_at, left_at)``, never overlapping for one user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from service.load.cells import code_parser, parse_id, parse_timestamp
from service.load.spec import Column, Entity, positions
from service.vocabulary import JOIN_CHANNELS

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_members (
    line integer NOT NULL,
    shop_id text NOT NULL,
    user_id text NOT NULL,
    joined_at timestamptz NOT NULL,
    join_channel text NOT NULL,
    left_at timestamptz
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_members
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_members
"""

DELETE_STAGED_SQL = """
DELETE FROM load_members
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, '-' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_members AS s
JOIN (
    SELECT shop_id, user_id, joined_at, min(line) AS first_line
    FROM load_members
    GROUP BY shop_id, user_id, joined_at
    HAVING count(*) > 1
) AS d ON d.shop_id = s.shop_id AND d.user_id = s.user_id AND d.joined_at = s.joined_at
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'shop_id', 'unknown shop'
FROM load_members AS s
WHERE NOT EXISTS (SELECT FROM shops AS t WHERE t.shop_id = s.shop_id)
UNION ALL
SELECT s.line, 'user_id', 'unknown user'
FROM load_members AS s
WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.user_id = s.user_id)
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_members
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

# A stored stint with the same key is the one being updated, so the file's version of it
# is what counts; every other stored stint of the same shop and user is kept as it is.
OVERLAP_SQL = """
WITH kept AS (
    SELECT t.shop_id, t.user_id, t.joined_at, tstzrange(t.joined_at, t.left_at) AS span
    FROM members AS t
    WHERE EXISTS (
        SELECT
        FROM load_members AS s
        WHERE s.shop_id = t.shop_id
        AND s.user_id = t.user_id
    )
    AND NOT EXISTS (
        SELECT
        FROM load_members AS s
        WHERE s.shop_id = t.shop_id
        AND s.user_id = t.user_id
        AND s.joined_at = t.joined_at
    )
)
SELECT s.line, '-' AS column_name, 'overlaps the stint at line ' || min(o.line) AS reason
FROM load_members AS s
JOIN load_members AS o
    ON o.shop_id = s.shop_id
    AND o.user_id = s.user_id
    AND o.line < s.line
    AND tstzrange(o.joined_at, o.left_at) && tstzrange(s.joined_at, s.left_at)
GROUP BY s.line
UNION ALL
SELECT
    s.line,
    '-',
    'overlaps the stored stint joined at '
    || to_char(min(k.joined_at) AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS')
FROM load_members AS s
JOIN kept AS k
    ON k.shop_id = s.shop_id
    AND k.user_id = s.user_id
    AND k.span && tstzrange(s.joined_at, s.left_at)
GROUP BY s.line
"""

MERGE_SQL = """
WITH merged AS (
    INSERT INTO members AS t (shop_id, user_id, joined_at, join_channel, left_at)
    SELECT s.shop_id, s.user_id, s.joined_at, s.join_channel, s.left_at
    FROM load_members AS s
    ON CONFLICT (shop_id, user_id, joined_at) DO UPDATE
    SET join_channel = EXCLUDED.join_channel, left_at = EXCLUDED.left_at
    WHERE (t.join_channel, t.left_at)
        IS DISTINCT FROM (EXCLUDED.join_channel, EXCLUDED.left_at)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


COLUMNS = (
    Column("shop_id", parse_id, required=True),
    Column("user_id", parse_id, required=True),
    Column("joined_at", parse_timestamp, required=True),
    Column("join_channel", code_parser(JOIN_CHANNELS), required=True),
    Column("left_at", parse_timestamp),
)
JOINED_AT, LEFT_AT = positions(COLUMNS, "joined_at", "left_at")


def check_member(record: Sequence[object]) -> list[tuple[str, str]]:
    """A stint cannot end before it starts."""
    joined_at, left_at = record[JOINED_AT], record[LEFT_AT]
    if isinstance(left_at, datetime) and isinstance(joined_at, datetime):
        if left_at < joined_at:
            return [("left_at", "before joined_at")]
    return []


MEMBERS = Entity(
    file="members.csv",
    stage_table="load_members",
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    overlap_sql=OVERLAP_SQL,
    merge_sql=MERGE_SQL,
    check_row=check_member,
)
