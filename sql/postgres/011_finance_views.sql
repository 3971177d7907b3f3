-- Finance in plain SQL (docs/finance.md has a question and a query for each): the journal with names, balances by
-- account kind, the float owed to cardholders against bank clearing, daily totals, a merchant's day, fees, refunds
-- payable, subsidy batches, cards that need the card office, any account's balance at a past time, and who did what.
-- Codes are shown by name from the codes table; a holder's newest state is read from its holder_after (the holder
-- format's fields by position are in holder_fields, which the migrator writes from Domain/Formats/HolderFormat.cs).

-- The effect codes were called reversal_effect before migration 010.
DELETE FROM codes WHERE type = 'reversal_effect';

CREATE TABLE holder_fields (
    version   smallint NOT NULL,
    name      text     NOT NULL,
    position  smallint NOT NULL,
    PRIMARY KEY (version, name)
);

-- A field of a stored holder state (transactions.holder_after): little-endian 64-bit integers after a version byte.
CREATE FUNCTION holder_field(state bytea, field text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (SELECT bit_or((get_byte(state, 1 + 8 * f.position + i)::bigint) << (8 * i)) FROM generate_series(0, 7) i)
      FROM holder_fields f
     WHERE f.version = get_byte(state, 0) AND f.name = field
$$;

CREATE FUNCTION code_name(code_type text, code smallint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT name FROM codes WHERE type = code_type AND codes.code = code_name.code
$$;

-- Every transaction, approved or declined, with names.
CREATE VIEW journal AS
SELECT t.id,
       t.decided_at,
       date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       code_name('outcome', t.outcome) AS outcome,
       code_name('decline_reason', t.reason) AS decline_reason,
       code_name('effect', t.effect) AS effect,
       t.amount_fen,
       t.moved_fen,
       t.side_fen,
       h.person_no,
       h.name AS holder_name,
       CASE WHEN t.scope LIKE 'c:%' THEN substr(t.scope, 3) ELSE nullif(t.card_no, '') END AS card_no,
       m.merchant_id,
       m.name AS merchant_name,
       code_name('merchant_category', m.category) AS merchant_category,
       nullif(t.terminal_id, '') AS terminal_id,
       nullif(t.channel, '') AS channel,
       nullif(t.memo, '') AS memo,
       t.purse_after_fen,
       t.wallet_after_fen,
       t.pending_after_fen,
       t.held_after_fen,
       code_name('caller_role', t.caller_role) AS caller_role,
       t.caller,
       t.request_id,
       nullif(t.original_request_id, '') AS original_request_id
  FROM transactions t
  LEFT JOIN holders h ON h.id = t.holder_id
  LEFT JOIN merchants m ON m.no = t.merchant_no;

-- Each account with its kind's name, its owner's name and its balance.
CREATE VIEW account_names AS
SELECT a.kind,
       code_name('account_kind', a.kind) AS kind_name,
       a.owner,
       a.name,
       coalesce(b.balance_fen, 0) AS balance_fen
  FROM accounts a
  LEFT JOIN account_balances b ON b.kind = a.kind AND b.owner = a.owner;

-- The trial balance by account kind, named; its balances sum to zero.
CREATE VIEW trial_balance_by_kind AS
SELECT t.kind, code_name('account_kind', t.kind) AS kind_name, t.accounts, t.balance_fen
  FROM trial_balance t;

-- What the campus owes cardholders (purses, e-wallets, pending amounts, open holds) against the bank clearing account
-- (what came in from banks less what went out to them in settlements); the rest is merchants' takings not yet settled,
-- fees, refunds payable, the subsidy fund and suspense.
CREATE VIEW cardholder_float AS
SELECT coalesce(sum(balance_fen) FILTER (WHERE kind IN (1, 2, 3, 6)), 0) AS owed_to_cardholders_fen,
       coalesce(sum(balance_fen) FILTER (WHERE kind = 1), 0) AS purses_fen,
       coalesce(sum(balance_fen) FILTER (WHERE kind = 2), 0) AS wallets_fen,
       coalesce(sum(balance_fen) FILTER (WHERE kind = 3), 0) AS pending_fen,
       coalesce(sum(balance_fen) FILTER (WHERE kind = 6), 0) AS holds_fen,
       coalesce(sum(balance_fen) FILTER (WHERE kind = 4), 0) AS merchants_unsettled_fen,
       -coalesce(sum(balance_fen) FILTER (WHERE kind = 5 AND owner = 1), 0) AS bank_clearing_fen,
       coalesce(sum(balance_fen) FILTER (WHERE kind = 5 AND owner <> 1), 0) AS other_system_fen
  FROM account_balances;

-- Money in per business day and channel: quota top-ups (per channel), e-wallet top-ups, credits (per source).
CREATE VIEW daily_funding AS
SELECT date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       CASE t.kind WHEN 4 THEN code_name('system_account', t.source) ELSE nullif(t.channel, '') END AS channel,
       count(*) AS transactions,
       sum(t.moved_fen) AS amount_fen
  FROM transactions t
 WHERE t.outcome = 1 AND t.kind IN (3, 4, 21)
 GROUP BY 1, 2, 3;

-- A merchant's business day: what it took (debits, offline records, settled holds, payments), gave back (reversals,
-- payment refunds), and the net, from the merchant account's legs (its settlements are in the view settlements).
CREATE VIEW merchant_days AS
SELECT m.merchant_id,
       m.name AS merchant_name,
       code_name('merchant_category', m.category) AS category,
       date '1970-01-01' + t.business_day AS business_date,
       count(*) FILTER (WHERE t.to_kind = 4) AS sales,
       coalesce(sum(t.moved_fen) FILTER (WHERE t.to_kind = 4), 0) AS gross_fen,
       count(*) FILTER (WHERE t.kind = 2) AS reversals,
       coalesce(sum(t.moved_fen) FILTER (WHERE t.kind = 2), 0) AS reversals_fen,
       count(*) FILTER (WHERE t.kind = 24) AS refunds,
       coalesce(sum(t.moved_fen) FILTER (WHERE t.kind = 24), 0) AS refunds_fen,
       coalesce(sum(t.moved_fen) FILTER (WHERE t.to_kind = 4), 0) - coalesce(sum(t.moved_fen) FILTER (WHERE t.from_kind = 4), 0) AS net_fen
  FROM transactions t
  JOIN merchants m ON m.no = CASE WHEN t.to_kind = 4 THEN t.to_owner ELSE t.from_owner END
 WHERE t.outcome = 1 AND (t.to_kind = 4 OR t.from_kind = 4) AND t.kind <> 29
 GROUP BY m.merchant_id, m.name, m.category, t.business_day;

-- Settlements 结算: per merchant and business day settled, what moved merchant -> bank clearing, when, by whom.
CREATE VIEW settlements AS
SELECT m.merchant_id, m.name AS merchant_name, date '1970-01-01' + t.ref::integer AS business_date, t.moved_fen AS settled_fen,
       t.decided_at AS settled_at, code_name('caller_role', t.caller_role) AS caller_role, t.caller, t.id AS transaction_id
  FROM transactions t JOIN merchants m ON m.no = t.merchant_no
 WHERE t.kind = 29 AND t.outcome = 1;

-- Fees 工本费 and other income per business day.
CREATE VIEW fee_income AS
SELECT date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       count(*) AS transactions,
       sum(t.moved_fen) AS amount_fen
  FROM transactions t
 WHERE t.outcome = 1 AND t.to_kind = 5 AND t.to_owner = 3
 GROUP BY 1, 2;

-- Closed accounts' purses refunded to refunds payable (报退), per cardholder, and what is still to pay out.
CREATE VIEW refunds_payable AS
SELECT h.person_no, h.name, t.decided_at AS closed_at, t.moved_fen AS refund_fen
  FROM transactions t JOIN holders h ON h.id = t.holder_id
 WHERE t.kind = 13 AND t.outcome = 1 AND t.moved_fen > 0;

-- Subsidy batches: issued, recalled, claimed (a claim of the cardholder came after it) and still pending.
CREATE VIEW subsidy_batch_totals AS
WITH subsidies AS (
    SELECT s.request_id AS batch_id, s.id, s.holder_id, s.moved_fen,
           EXISTS (SELECT 1 FROM transactions r WHERE r.kind = 19 AND r.outcome = 1 AND r.scope = s.scope AND r.original_request_id = s.request_id) AS recalled,
           EXISTS (SELECT 1 FROM transactions c WHERE c.holder_id = s.holder_id AND c.id > s.id AND c.outcome = 1
                                                AND (c.kind = 17 OR (c.kind = 1 AND c.effect = 5))) AS claimed
      FROM transactions s
     WHERE s.kind = 18 AND s.outcome = 1)
SELECT b.batch_id, b.deadline, b.memo, b.created_by,
       count(s.id) AS issued, coalesce(sum(s.moved_fen), 0) AS issued_fen,
       count(s.id) FILTER (WHERE s.claimed AND NOT s.recalled) AS claimed, coalesce(sum(s.moved_fen) FILTER (WHERE s.claimed AND NOT s.recalled), 0) AS claimed_fen,
       count(s.id) FILTER (WHERE s.recalled) AS recalled, coalesce(sum(s.moved_fen) FILTER (WHERE s.recalled), 0) AS recalled_fen,
       count(s.id) FILTER (WHERE NOT s.claimed AND NOT s.recalled) AS unclaimed, coalesce(sum(s.moved_fen) FILTER (WHERE NOT s.claimed AND NOT s.recalled), 0) AS unclaimed_fen
  FROM subsidy_batches b LEFT JOIN subsidies s ON s.batch_id = b.batch_id
 GROUP BY b.batch_id, b.deadline, b.memo, b.created_by;

-- Each cardholder's card now: state, freeze reason, balances; the card office's lists filter it (frozen, overdrawn,
-- lost, offline records flagged).
CREATE VIEW cardholder_states AS
WITH newest AS (
    SELECT DISTINCT ON (holder_id) holder_id, holder_after FROM transactions WHERE holder_after IS NOT NULL ORDER BY holder_id, id DESC)
SELECT h.person_no, h.name,
       code_name('card_type', h.card_type) AS card_type,
       CASE WHEN holder_field(n.holder_after, 'closed') = 1 THEN 'closed'
            WHEN holder_field(n.holder_after, 'lost') = 1 THEN 'lost'
            WHEN holder_field(n.holder_after, 'freeze') <> 0 THEN 'frozen'
            ELSE 'active' END AS state,
       code_name('freeze_reason', holder_field(n.holder_after, 'freeze')::smallint) AS freeze_reason,
       coalesce(b.purse, 0) AS purse_fen,
       coalesce(b.wallet, 0) AS wallet_fen,
       coalesce(b.pending, 0) AS pending_fen,
       coalesce(b.held, 0) AS held_fen,
       coalesce(b.purse, 0) < 0 AS overdrawn,
       (SELECT count(*) FROM transactions o WHERE o.holder_id = h.id AND o.kind = 25 AND o.effect IN (6, 7, 8)) AS flagged_offline_records
  FROM holders h
  JOIN newest n ON n.holder_id = h.id
  LEFT JOIN (SELECT owner,
                    sum(balance_fen) FILTER (WHERE kind = 1) AS purse,
                    sum(balance_fen) FILTER (WHERE kind = 2) AS wallet,
                    sum(balance_fen) FILTER (WHERE kind = 3) AS pending,
                    sum(balance_fen) FILTER (WHERE kind = 6) AS held
               FROM account_balances WHERE kind IN (1, 2, 3, 6) GROUP BY owner) b ON b.owner = h.id;

-- Any account's balance as of a past instant: the legs of everything decided up to it.
CREATE FUNCTION account_balance_at(account_kind smallint, account_owner bigint, at timestamptz) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(p.amount_fen), 0)::bigint
      FROM postings p JOIN transactions t ON t.id = p.transaction_id
     WHERE p.account_kind = account_balance_at.account_kind AND p.account_owner = account_balance_at.account_owner AND t.decided_at <= at
$$;

-- Who did what: every decision with the caller's role and subject, and whom it was for.
CREATE VIEW audit AS
SELECT t.decided_at, code_name('caller_role', t.caller_role) AS caller_role, t.caller, nullif(t.terminal_id, '') AS terminal_id,
       code_name('transaction_kind', t.kind) AS kind, code_name('outcome', t.outcome) AS outcome, h.person_no, t.moved_fen, t.request_id, t.id
  FROM transactions t LEFT JOIN holders h ON h.id = t.holder_id;
