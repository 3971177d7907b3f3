-- Fills an empty, migrated journal with :rows transactions of a campus (scripts/bench-rebuild.sh; psql -v rows=N -v holders=H).
-- :holders holders, each with one card and its opening row (开户发卡, its hot state in holder_after), then debits at
-- 三餐 rates: every holder makes 3 a day, one in 20 rows is a top-up (person scope) and one in 50 debits is declined;
-- one row in 1,000 is a card nobody holds (holder 0). The newest 7 days are the idempotency window, the rest is history
-- before it at the same rate: with 20,000 holders a window is 420,000 rows, 1 million rows reach 2 weeks back and 10
-- million 5 months. Transaction ids are in decision order with the holder's partition of 16 in their low bits.
-- The rows are what a rebuild reads; the holder_after's card fingerprint is not the card's (nothing is decided here).
\set ON_ERROR_STOP on
SET session_replication_role = replica; -- the legs' accounts and the cards' holders are not checked row by row here
SET synchronous_commit = off;

CREATE FUNCTION pg_temp.le8(v bigint) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT decode(string_agg(lpad(to_hex((v >> (8 * i)) & 255), 2, '0'), '' ORDER BY i), 'hex') FROM generate_series(0, 7) i
$$;

CREATE TEMP TABLE plan AS
SELECT :holders::bigint AS holders,
       (:holders * 3)::bigint AS per_day,
       now() AS now,
       greatest(:rows - :holders, 0)::bigint AS decided;
-- The decided rows span decided / per_day days up to now; the first row is that long ago.
CREATE TEMP TABLE span AS SELECT now - make_interval(secs => decided::float8 / per_day * 86400) AS began, * FROM plan;

INSERT INTO merchants (merchant_id, name, category, opened_at)
SELECT 'M' || lpad(m::text, 4, '0'), '食堂窗口 ' || m, 1, (SELECT began FROM span) - interval '1 day' FROM generate_series(1, 40) m;
INSERT INTO accounts (kind, owner, name) SELECT 4, no, merchant_id FROM merchants;

INSERT INTO holders (person_no, name, card_type, opened_at, partition_slot)
SELECT p, '学生 ' || i, 2, (SELECT began FROM span) - interval '1 day', partition_hash('p:' || p) % 1024
  FROM generate_series(1, :holders) i, LATERAL (SELECT 'S' || lpad(i::text, 8, '0') AS p) x;
INSERT INTO cards (card_no, holder_id, issued_at) SELECT '6' || lpad(id::text, 11, '0'), id, opened_at FROM holders;
INSERT INTO accounts (kind, owner, name) SELECT k, id, person_no FROM holders, (VALUES (1), (2), (3), (6)) a(k);

-- The indexes are built after the rows (as a restore would), not row by row: the same definitions, dropped and made again.
CREATE TEMP TABLE kept_indexes AS
SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'transactions' AND indexname <> 'transactions_pkey';
SELECT format('DROP INDEX %I', indexname) FROM kept_indexes \gexec

INSERT INTO transactions (id, holder_id, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen,
                          wallet_after_fen, pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no,
                          original_request_id, source, direction, channel, memo, business_day, decided_at, scope, card_no,
                          pin, holder_after)
SELECT h.id * 1024 + h.partition_slot % 16, h.id, 'open', 6, 1, 0, 0, 0, 0, 0, 0, 0, h.id, '', '', 0, '', 0, 0, 'card-office', '',
       floor(extract(epoch FROM h.opened_at + interval '8 hours') / 86400)::integer, h.opened_at, 'p:' || h.person_no, c.card_no, 0,
       '\x06'::bytea || pg_temp.le8(h.id) || pg_temp.le8(h.id) || pg_temp.le8(2) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0)
       || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0)
       || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(1)
       || pg_temp.le8(floor(extract(epoch FROM h.opened_at + interval '8 hours') / 86400)::bigint)
       || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0) || pg_temp.le8(0)
       || pg_temp.le8(0) || pg_temp.le8(0)
  FROM holders h JOIN cards c ON c.holder_id = h.id;

INSERT INTO transactions (id, holder_id, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen,
                          wallet_after_fen, pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no,
                          original_request_id, source, direction, channel, memo, business_day, decided_at, scope, card_no,
                          from_kind, from_owner, to_kind, to_owner)
SELECT (s.holders + g) * 1024 + (CASE WHEN r.nobody THEN partition_hash(r.scope) ELSE h.partition_slot END) % 16,
       CASE WHEN r.nobody THEN 0 ELSE h.id END, 'r' || g, r.kind, r.outcome, CASE WHEN r.nobody THEN 2 WHEN r.outcome = 2 THEN 1 ELSE 0 END,
       0, r.amount, r.moved, 20000 + (g * 37) % 80000, 0, 0, g, 'T' || (g % 400), CASE WHEN r.kind = 1 THEN 'M' || lpad(r.m::text, 4, '0') ELSE '' END,
       CASE WHEN r.kind = 1 THEN r.m ELSE 0 END, '', CASE WHEN r.kind = 4 THEN 1 ELSE 0 END, 0, '', '',
       floor(extract(epoch FROM r.at + interval '8 hours') / 86400)::integer, r.at, r.scope, CASE WHEN r.kind = 1 THEN r.card_no ELSE '' END,
       CASE WHEN r.moved = 0 THEN NULL WHEN r.kind = 1 THEN 1 ELSE 5 END, CASE WHEN r.moved = 0 THEN NULL WHEN r.kind = 1 THEN h.id ELSE 1 END,
       CASE WHEN r.moved = 0 THEN NULL WHEN r.kind = 1 THEN 4 ELSE 1 END, CASE WHEN r.moved = 0 THEN NULL WHEN r.kind = 1 THEN r.m ELSE h.id END
  FROM span s
  CROSS JOIN generate_series(1, s.decided) g
  JOIN holders h ON h.id = (g * 7919) % s.holders + 1
  JOIN cards c ON c.holder_id = h.id
  CROSS JOIN LATERAL (SELECT g % 1000 = 7 AS nobody, CASE WHEN g % 20 = 3 THEN 4 ELSE 1 END AS kind, g % 40 + 1 AS m,
                             s.began + make_interval(secs => (g - 1)::float8 / s.per_day * 86400) AS at) k
  CROSS JOIN LATERAL (SELECT k.nobody, k.kind, k.m, k.at,
                             CASE WHEN k.nobody OR (k.kind = 1 AND g % 50 = 0) THEN 2 ELSE 1 END AS outcome,
                             CASE WHEN k.kind = 4 THEN 5000 ELSE 300 + g % 1500 END AS amount,
                             CASE WHEN k.nobody OR (k.kind = 1 AND g % 50 = 0) THEN 0 WHEN k.kind = 4 THEN 5000 ELSE 300 + g % 1500 END AS moved,
                             CASE WHEN k.nobody THEN 'c:9' || lpad(g::text, 11, '0') WHEN k.kind = 4 THEN 'p:' || h.person_no ELSE 'c:' || c.card_no END AS scope,
                             CASE WHEN k.nobody THEN '9' || lpad(g::text, 11, '0') ELSE c.card_no END AS card_no) r;

SELECT indexdef FROM kept_indexes \gexec
ANALYZE;
