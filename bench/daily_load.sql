-- A day of the whole platform loaded again, a day later under new ids, in a transaction
-- that is rolled back: how long the aggregates' triggers take to keep up with one day.
--
--     psql -v day=2026-11-30 -f bench/daily_load.sql postgresql://…/bench
--
-- :day is a business day (Asia/Shanghai) holding data. With pg_stat_statements loaded
-- and pg_stat_statements.track = all, its view then shows the triggers' statements. The
-- rolled-back rows are vacuumed away afterwards (their dead versions would otherwise slow
-- the next run and every reading until autovacuum reaches them).
\timing on
SET statement_timeout = 0;
SET work_mem = '64MB';
BEGIN;
CREATE TEMP TABLE day_orders ON COMMIT DROP AS
SELECT
    'd' || order_id AS order_id, shop_id, user_id, product_id, quantity, amount,
    paid_at + interval '1 day' AS paid_at, carrier, traffic_type, entry, creator_id,
    benefit_id, refund_amount, refunded_at + interval '1 day' AS refunded_at
FROM orders
WHERE paid_at >= (:'day'::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
  AND paid_at < (:'day'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
CREATE TEMP TABLE day_events ON COMMIT DROP AS
SELECT
    'd' || event_id AS event_id, shop_id, user_id, type,
    occurred_at + interval '1 day' AS occurred_at, product_id, carrier, entry, benefit_id
FROM events
WHERE occurred_at >= (:'day'::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
  AND occurred_at < (:'day'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
SELECT (SELECT count(*) FROM day_orders) AS orders, (SELECT count(*) FROM day_events) AS events;
INSERT INTO orders SELECT * FROM day_orders ORDER BY shop_id, paid_at;
INSERT INTO events SELECT * FROM day_events ORDER BY shop_id, occurred_at;
ROLLBACK;
\timing off
VACUUM orders, events, order_days, shop_order_days, member_activity, member_steps,
    member_step_months, member_recency, event_days, shop_event_days, order_slice_days,
    shop_order_slice_days;
