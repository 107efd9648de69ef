"""The upsert most files merge with: insert each staged row, update a stored one in place.

Table and column names come from literals in the entity modules, never from a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from service.load.spec import Column

# A stored row whose updated columns already hold the staged values is left untouched,
# so a reload of the same file counts it as unchanged.
UPSERT_SQL = """
WITH merged AS (
    INSERT INTO {table} AS t ({inserted})
    SELECT {staged}
    FROM {stage} AS s{order}
    ON CONFLICT ({key}) DO UPDATE
    SET
        {assignments}
    WHERE ({stored})
        IS DISTINCT FROM ({excluded})
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


def _listed(names: Iterable[str], prefix: str = "") -> str:
    return ", ".join(prefix + name for name in names)


def upsert_sql(
    stage: str,
    *,
    table: str,
    columns: Sequence[Column],
    key: Sequence[str],
    kept: Sequence[str] = (),
    order_by: Sequence[str] = (),
) -> str:
    """The merge of every staged column into ``table``, upserting on ``key``.

    A reload updates every column but the key and the ``kept`` ones (such as the shop a
    row belongs to, which never changes). New rows are written in ``order_by`` order: a
    fact table's rows sorted by shop and time lie together on disk, so one shop's rows of
    a period are read from a few pages, not one page a row.
    """
    inserted = [column.name for column in columns]
    if unknown := {*key, *kept} - set(inserted):
        raise ValueError(f"{table}: no staged column {', '.join(sorted(unknown))}")
    updated = [name for name in inserted if name not in key and name not in kept]
    if not updated:
        raise ValueError(f"{table}: an upsert needs a column to update")
    return UPSERT_SQL.format(
        table=table,
        stage=stage,
        key=_listed(key),
        inserted=_listed(inserted),
        staged=_listed(inserted, "s."),
        order=f"\n    ORDER BY {_listed(order_by, 's.')}" if order_by else "",
        assignments=",\n        ".join(f"{name} = EXCLUDED.{name}" for name in updated),
        stored=_listed(updated, "t."),
        excluded=_listed(updated, "EXCLUDED."),
    )
