"""Session objects the generator works with: a seeded hash function and planning tables.

Everything here is temporary (``pg_temp``) and disappears with the generator's session;
the service's schema is never touched.
"""

from __future__ import annotations

from typing import Final

# rnd(n, salt) is a uniform number in [0, 1) from 53 bits of a seeded 64-bit hash of n:
# the same (seed, n, salt) always gives the same number, on any PostgreSQL >= 11.
# The seed is the function's own body, so one session generates one seed's data.
RANDOM_FUNCTION_SQL: Final = """
CREATE FUNCTION pg_temp.rnd(n bigint, salt integer)
RETURNS double precision
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT (hashint8extended(n, salt::bigint * 1000003 + {seed}) & 9007199254740991)::float8
        / 9007199254740992.0
$$
"""

CREATE_PLAN_TABLES_SQL: Final = """
CREATE TEMP TABLE bench_shop (
    shop_no integer PRIMARY KEY,
    shop_id text NOT NULL,
    industry text NOT NULL,
    tier integer NOT NULL,
    order_lo bigint NOT NULL,
    order_hi bigint NOT NULL,
    event_lo bigint NOT NULL,
    event_hi bigint NOT NULL,
    customers integer NOT NULL,
    members integer NOT NULL,
    fans integer NOT NULL,
    browsers integer NOT NULL,
    base bigint NOT NULL,
    product_lo integer NOT NULL,
    products integer NOT NULL,
    benefit_lo integer NOT NULL,
    benefits integer NOT NULL,
    campaign_lo integer NOT NULL,
    campaigns integer NOT NULL,
    live_share double precision NOT NULL,
    video_share double precision NOT NULL,
    paid_share double precision NOT NULL,
    categories text[] NOT NULL,
    prices double precision[] NOT NULL
);
CREATE TEMP TABLE bench_day (
    slot integer PRIMARY KEY,
    day_no integer NOT NULL,
    day date NOT NULL
);
CREATE TEMP TABLE bench_hour (
    slot integer PRIMARY KEY,
    hour integer NOT NULL
);
"""

SHOP_COLUMNS: Final = (
    "shop_no",
    "shop_id",
    "industry",
    "tier",
    "order_lo",
    "order_hi",
    "event_lo",
    "event_hi",
    "customers",
    "members",
    "fans",
    "browsers",
    "base",
    "product_lo",
    "products",
    "benefit_lo",
    "benefits",
    "campaign_lo",
    "campaigns",
    "live_share",
    "video_share",
    "paid_share",
    "categories",
    "prices",
)

ANALYZE_PLAN_TABLES_SQL: Final = """
ANALYZE bench_shop, bench_day, bench_hour
"""

# The tables whose indexes and foreign keys are dropped during the bulk insert and rebuilt
# afterwards (one sort per index instead of millions of insertions, one join per key).
BULK_TABLES: Final = ("members", "fans", "orders", "events", "reach")

# Foreign keys and primary keys of the bulk tables (a primary key only when no foreign key
# points at it), with the statement that recreates each exactly as it was.
BULK_CONSTRAINTS_SQL: Final = """
SELECT
    c.contype::text AS kind,
    format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
    format(
        'ALTER TABLE %s ADD CONSTRAINT %I %s',
        c.conrelid::regclass,
        c.conname,
        pg_get_constraintdef(c.oid)
    ) AS create_sql
FROM pg_constraint AS c
WHERE c.conrelid = any($1::regclass[])
  AND (
      c.contype = 'f'
      OR (
          c.contype = 'p'
          AND NOT EXISTS (
              SELECT 1
              FROM pg_constraint AS r
              WHERE r.contype = 'f'
                AND r.confrelid = c.conrelid
          )
      )
  )
ORDER BY c.contype DESC, c.conname
"""

# Plain column indexes of the bulk tables (not the ones behind a constraint). Partial and
# expression indexes stay in place: PostgreSQL may print their recreated definition
# differently from the original, and the schema must come back exactly as it was.
BULK_INDEXES_SQL: Final = """
SELECT
    'i' AS kind,
    format('DROP INDEX %s', i.indexrelid::regclass) AS drop_sql,
    pg_get_indexdef(i.indexrelid) AS create_sql
FROM pg_index AS i
WHERE i.indrelid = any($1::regclass[])
  AND i.indpred IS NULL
  AND i.indexprs IS NULL
  AND NOT EXISTS (
      SELECT 1
      FROM pg_constraint AS c
      WHERE c.conrelid = i.indrelid
        AND c.conindid = i.indexrelid
  )
ORDER BY i.indexrelid::regclass::text
"""

EXISTING_SHOPS_SQL: Final = """
SELECT count(*)
FROM shops
"""

CLEAR_SQL: Final = """
TRUNCATE reach, events, orders, fans, members, campaigns, benefits, products, creators,
    users, kpi_targets, segments, shops CASCADE
"""
