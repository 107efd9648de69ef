"""users.csv: platform-wide people and their profile attributes (`unknown` is stored as null)."""

from __future__ import annotations

from service.load.cells import attribute_parser, parse_id
from service.load.entities.checks import changes_platform_row_sql, duplicate_key_sql, union_all
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity
from vocabulary import AGE_BANDS, CROWDS, GENDERS

STAGE = "load_users"

COLUMNS = (
    Column("user_id", parse_id, "text", required=True),
    Column("gender", attribute_parser(GENDERS), "text"),
    Column("age_band", attribute_parser(AGE_BANDS), "text"),
    Column("province", attribute_parser(None), "text"),
    Column("crowd", attribute_parser(CROWDS), "text"),
)

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "user_id"),
    changes_platform_row_sql(
        STAGE,
        table="users",
        key="user_id",
        columns=("gender", "age_band", "province", "crowd"),
        what="a platform-wide user",
    ),
)

USERS = Entity(
    file="users.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(STAGE, table="users", columns=COLUMNS, key=("user_id",)),
)
