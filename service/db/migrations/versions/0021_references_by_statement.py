"""The fact tables' references checked once a statement instead of once a row.

A foreign key checks each inserted or updated row with a lookup of its own, which also
locks the referenced row (`FOR KEY SHARE`: a write to the users, shops and products pages
for every fact row). Loading a day of the platform spent more time there than writing the
rows. The foreign keys of orders, events, members, fans and reach (to shops, users,
products, creators, benefits and campaigns) give way to statement triggers: after each
insert or update, one anti-join of the statement's rows against each referenced table
raises `foreign_key_violation` for the first reference that names no stored row; after a
delete, or a truncate, of a referenced table, one join of the removed keys against each
fact table raises it for a key still in use. A referenced row's key cannot change.

Instead of the row locks, the two sides take the loads' advisory lock: a fact write
shared, a removal of referenced rows exclusive, both until the transaction ends, so a
removal waits for the writes in progress (and a load for a removal in progress) and each
side's check sees what the other committed.

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (fact table, referenced table, column): the column has the same name on both sides and
# is the referenced table's key.
REFERENCES = (
    ("orders", "shops", "shop_id"),
    ("orders", "users", "user_id"),
    ("orders", "products", "product_id"),
    ("orders", "creators", "creator_id"),
    ("orders", "benefits", "benefit_id"),
    ("events", "shops", "shop_id"),
    ("events", "users", "user_id"),
    ("events", "products", "product_id"),
    ("events", "benefits", "benefit_id"),
    ("members", "shops", "shop_id"),
    ("members", "users", "user_id"),
    ("fans", "shops", "shop_id"),
    ("fans", "users", "user_id"),
    ("reach", "shops", "shop_id"),
    ("reach", "users", "user_id"),
    ("reach", "campaigns", "campaign_id"),
)

FACTS = tuple(dict.fromkeys(fact for fact, _, _ in REFERENCES))
REFERENCED = tuple(dict.fromkeys(target for _, target, _ in REFERENCES))

# Arguments: (column, referenced table) pairs. The rows are the statement's new rows. The
# lock is the loads' (service.db.locks.LOAD_LOCK_KEY, 0x6D6C6C6F6164: "mlload").
CHECK_REFERENCES_SQL = """
CREATE FUNCTION check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer := 0;
    missing text;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(120312443134308);
    WHILE i < TG_NARGS LOOP
        EXECUTE format(
            'SELECT n.%1$I FROM new_rows AS n WHERE n.%1$I IS NOT NULL '
            'AND NOT EXISTS (SELECT FROM %2$I AS r WHERE r.%1$I = n.%1$I) LIMIT 1',
            TG_ARGV[i], TG_ARGV[i + 1]
        ) INTO missing;
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION
                'insert or update on table "%" violates its reference to table "%"',
                TG_TABLE_NAME, TG_ARGV[i + 1]
                USING ERRCODE = 'foreign_key_violation',
                    TABLE = TG_TABLE_NAME,
                    COLUMN = TG_ARGV[i],
                    DETAIL = format(
                        'Key (%s)=(%s) is not present in table "%s".',
                        TG_ARGV[i], missing, TG_ARGV[i + 1]
                    );
        END IF;
        i := i + 2;
    END LOOP;
    RETURN NULL;
END
$$
"""

# Arguments: the key column (the referenced table's primary key), then the fact tables
# that refer to it. The rows are the statement's old rows; for a truncate, every row is
# gone (the facts truncated by the same statement are empty by now): any fact naming one
# is refused.
CHECK_REFERRED_SQL = """
CREATE FUNCTION check_referred() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer := 1;
    used text;
BEGIN
    PERFORM pg_advisory_xact_lock(120312443134308);
    WHILE i < TG_NARGS LOOP
        IF TG_OP = 'TRUNCATE' THEN
            EXECUTE format(
                'SELECT f.%1$I FROM %2$I AS f WHERE f.%1$I IS NOT NULL LIMIT 1',
                TG_ARGV[0], TG_ARGV[i]
            ) INTO used;
        ELSE
            EXECUTE format(
                'SELECT o.%1$I FROM old_rows AS o '
                'WHERE EXISTS (SELECT FROM %2$I AS f WHERE f.%1$I = o.%1$I) LIMIT 1',
                TG_ARGV[0], TG_ARGV[i]
            ) INTO used;
        END IF;
        IF used IS NOT NULL THEN
            RAISE EXCEPTION
                'update or delete on table "%" violates the reference from table "%"',
                TG_TABLE_NAME, TG_ARGV[i]
                USING ERRCODE = 'foreign_key_violation',
                    TABLE = TG_TABLE_NAME,
                    COLUMN = TG_ARGV[0],
                    DETAIL = format(
                        'Key (%s)=(%s) is still referenced from table "%s".',
                        TG_ARGV[0], used, TG_ARGV[i]
                    );
        END IF;
        i := i + 1;
    END LOOP;
    RETURN NULL;
END
$$
"""

KEY_KEPT_SQL = """
CREATE FUNCTION key_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the key of a row of table "%" cannot change', TG_TABLE_NAME
        USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
END
$$
"""


def _quoted(*names: str) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _fact_triggers(fact: str) -> list[str]:
    pairs = [name for f, target, column in REFERENCES if f == fact for name in (column, target)]
    return [
        f"CREATE TRIGGER {fact}_check_references_{event.lower()} AFTER {event} ON {fact} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION check_references({_quoted(*pairs)})"
        for event in ("INSERT", "UPDATE")
    ]


def _referenced_triggers(target: str) -> list[str]:
    (column,) = {column for _, t, column in REFERENCES if t == target}
    facts = [fact for fact, t, _ in REFERENCES if t == target]
    arguments = _quoted(column, *facts)
    return [
        f"CREATE TRIGGER {target}_check_referred_delete AFTER DELETE ON {target} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION check_referred({arguments})",
        f"CREATE TRIGGER {target}_check_referred_truncate AFTER TRUNCATE ON {target} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION check_referred({arguments})",
        f"CREATE TRIGGER {target}_key_kept BEFORE UPDATE OF {column} ON {target} "
        f"FOR EACH ROW WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) "
        f"EXECUTE FUNCTION key_kept('{column}')",
    ]


def upgrade() -> None:
    for fact, _target, column in REFERENCES:
        op.drop_constraint(f"{fact}_{column}_fkey", fact, type_="foreignkey")
    for sql in (CHECK_REFERENCES_SQL, CHECK_REFERRED_SQL, KEY_KEPT_SQL):
        op.execute(sql)
    for fact in FACTS:
        for sql in _fact_triggers(fact):
            op.execute(sql)
    for target in REFERENCED:
        for sql in _referenced_triggers(target):
            op.execute(sql)


def downgrade() -> None:
    for fact in FACTS:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {fact}_check_references_{event} ON {fact}")
    for target in REFERENCED:
        for name in ("check_referred_delete", "check_referred_truncate", "key_kept"):
            op.execute(f"DROP TRIGGER {target}_{name} ON {target}")
    for function in ("check_references", "check_referred", "key_kept"):
        op.execute(f"DROP FUNCTION {function}()")
    for fact, target, column in REFERENCES:
        op.create_foreign_key(f"{fact}_{column}_fkey", fact, target, [column], [column])
