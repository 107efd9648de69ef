"""creators.csv: the influencers who sell shops' goods in their lives and videos."""

from __future__ import annotations

from service.load.cells import parse_id, parse_text
from service.load.entities.checks import changes_platform_row_sql, duplicate_key_sql, union_all
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity

STAGE = "load_creators"

COLUMNS = (
    Column("creator_id", parse_id, "text", required=True),
    Column("name", parse_text, "text", required=True),
)

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "creator_id"),
    changes_platform_row_sql(
        STAGE,
        table="creators",
        key="creator_id",
        columns=("name",),
        what="a platform-wide creator",
    ),
)

CREATORS = Entity(
    file="creators.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(STAGE, table="creators", columns=COLUMNS, key=("creator_id",)),
)
