-- Finance in the campus's own time and in yuan (docs/finance.md). The journal stores instants (timestamptz) and each
-- transaction's business day; the views now show every time as the campus's wall-clock time (timestamp without time
-- zone), whatever the database's or the session's time zone, and every amount in fen also in yuan (numeric(14,2)).
-- refunds_payable lists every credit of refunds payable (应付退款), not only the closes (报退), and
-- refunds_payable_by_person says what each closed person is still owed.

-- The campus's settings that SQL needs, written by the migrator from the service's configuration at every start
-- (Engine:UtcOffset), as it writes codes. One row now; a deployment of several campuses keys it by campus.
CREATE TABLE campus_settings (
    id          smallint PRIMARY KEY CHECK (id = 1),
    utc_offset  interval NOT NULL CHECK (utc_offset BETWEEN interval '-14:00' AND interval '14:00')
);
INSERT INTO campus_settings (id, utc_offset) VALUES (1, interval '08:00');

CREATE FUNCTION campus_utc_offset() RETURNS interval LANGUAGE sql STABLE AS $$
    SELECT utc_offset FROM campus_settings WHERE id = 1
$$;

-- An instant as the campus's wall-clock time (AT TIME ZONE with an interval counts east of UTC as positive).
CREATE FUNCTION campus_time(at timestamptz) RETURNS timestamp LANGUAGE sql STABLE AS $$
    SELECT at AT TIME ZONE campus_utc_offset()
$$;

-- A wall-clock time on campus as an instant: for account_balance_at and comparisons with the journal's instants.
CREATE FUNCTION campus_instant(local timestamp) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT local AT TIME ZONE campus_utc_offset()
$$;

CREATE FUNCTION campus_now() RETURNS timestamp LANGUAGE sql STABLE AS $$
    SELECT campus_time(now())
$$;

-- The campus's date now: yesterday's business date is campus_today() - 1, at any hour and in any session time zone.
CREATE FUNCTION campus_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT campus_now()::date
$$;

-- Money in yuan, beside every amount in fen.
CREATE DOMAIN yuan AS numeric(14, 2);

CREATE FUNCTION to_yuan(fen numeric) RETURNS yuan LANGUAGE sql IMMUTABLE AS $$
    SELECT (fen / 100)::yuan
$$;

-- account_balance_at reads the journal's table; a finance login reads only views, so the function runs as its owner.
ALTER FUNCTION account_balance_at(smallint, bigint, timestamptz) SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE ALL ON FUNCTION account_balance_at(smallint, bigint, timestamptz) FROM PUBLIC;

DROP VIEW journal, account_names, trial_balance_by_kind, cardholder_float, daily_funding, merchant_days, settlements,
    fee_income, refunds_payable, subsidy_batch_totals, cardholder_states, audit;

-- Every transaction, approved or declined, with names.
CREATE VIEW journal AS
SELECT t.id,
       campus_time(t.decided_at) AS decided_at,
       date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       code_name('outcome', t.outcome) AS outcome,
       code_name('decline_reason', t.reason) AS decline_reason,
       code_name('effect', t.effect) AS effect,
       t.amount_fen,
       to_yuan(t.amount_fen) AS amount_yuan,
       t.moved_fen,
       to_yuan(t.moved_fen) AS moved_yuan,
       t.side_fen,
       to_yuan(t.side_fen) AS side_yuan,
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
       to_yuan(t.purse_after_fen) AS purse_after_yuan,
       t.wallet_after_fen,
       to_yuan(t.wallet_after_fen) AS wallet_after_yuan,
       t.pending_after_fen,
       to_yuan(t.pending_after_fen) AS pending_after_yuan,
       t.held_after_fen,
       to_yuan(t.held_after_fen) AS held_after_yuan,
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
       coalesce(b.balance_fen, 0) AS balance_fen,
       to_yuan(coalesce(b.balance_fen, 0)) AS balance_yuan
  FROM accounts a
  LEFT JOIN account_balances b ON b.kind = a.kind AND b.owner = a.owner;

-- The trial balance by account kind, named; its balances sum to zero.
CREATE VIEW trial_balance_by_kind AS
SELECT t.kind, code_name('account_kind', t.kind) AS kind_name, t.accounts, t.balance_fen, to_yuan(t.balance_fen) AS balance_yuan
  FROM trial_balance t;

-- What the campus owes cardholders (purses, e-wallets, pending amounts, open holds) against the bank clearing account
-- (what came in from banks less what went out to them in settlements); the rest is merchants' takings not yet settled,
-- fees, refunds payable, the subsidy fund and suspense.
CREATE VIEW cardholder_float AS
SELECT f.owed_to_cardholders_fen, to_yuan(f.owed_to_cardholders_fen) AS owed_to_cardholders_yuan,
       f.purses_fen, to_yuan(f.purses_fen) AS purses_yuan,
       f.wallets_fen, to_yuan(f.wallets_fen) AS wallets_yuan,
       f.pending_fen, to_yuan(f.pending_fen) AS pending_yuan,
       f.holds_fen, to_yuan(f.holds_fen) AS holds_yuan,
       f.merchants_unsettled_fen, to_yuan(f.merchants_unsettled_fen) AS merchants_unsettled_yuan,
       f.bank_clearing_fen, to_yuan(f.bank_clearing_fen) AS bank_clearing_yuan,
       f.other_system_fen, to_yuan(f.other_system_fen) AS other_system_yuan
  FROM (SELECT coalesce(sum(balance_fen) FILTER (WHERE kind IN (1, 2, 3, 6)), 0) AS owed_to_cardholders_fen,
               coalesce(sum(balance_fen) FILTER (WHERE kind = 1), 0) AS purses_fen,
               coalesce(sum(balance_fen) FILTER (WHERE kind = 2), 0) AS wallets_fen,
               coalesce(sum(balance_fen) FILTER (WHERE kind = 3), 0) AS pending_fen,
               coalesce(sum(balance_fen) FILTER (WHERE kind = 6), 0) AS holds_fen,
               coalesce(sum(balance_fen) FILTER (WHERE kind = 4), 0) AS merchants_unsettled_fen,
               -coalesce(sum(balance_fen) FILTER (WHERE kind = 5 AND owner = 1), 0) AS bank_clearing_fen,
               coalesce(sum(balance_fen) FILTER (WHERE kind = 5 AND owner <> 1), 0) AS other_system_fen
          FROM account_balances) f;

-- Money in per business day and channel: quota top-ups (per channel), e-wallet top-ups, credits (per source).
CREATE VIEW daily_funding AS
SELECT date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       CASE t.kind WHEN 4 THEN code_name('system_account', t.source) ELSE nullif(t.channel, '') END AS channel,
       count(*) AS transactions,
       sum(t.moved_fen) AS amount_fen,
       to_yuan(sum(t.moved_fen)) AS amount_yuan
  FROM transactions t
 WHERE t.outcome = 1 AND t.kind IN (3, 4, 21)
 GROUP BY 1, 2, 3;

-- A merchant's business day: what it took (debits, offline records, settled holds, payments), gave back (reversals,
-- payment refunds), and the net, from the merchant account's legs (its settlements are in the view settlements).
CREATE VIEW merchant_days AS
SELECT d.merchant_id, d.merchant_name, d.category, d.business_date,
       d.sales, d.gross_fen, to_yuan(d.gross_fen) AS gross_yuan,
       d.reversals, d.reversals_fen, to_yuan(d.reversals_fen) AS reversals_yuan,
       d.refunds, d.refunds_fen, to_yuan(d.refunds_fen) AS refunds_yuan,
       d.net_fen, to_yuan(d.net_fen) AS net_yuan
  FROM (SELECT m.merchant_id,
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
         GROUP BY m.merchant_id, m.name, m.category, t.business_day) d;

-- Settlements 结算: per merchant and business day settled, what moved merchant -> bank clearing, when, by whom.
CREATE VIEW settlements AS
SELECT m.merchant_id, m.name AS merchant_name, date '1970-01-01' + t.ref::integer AS business_date,
       t.moved_fen AS settled_fen, to_yuan(t.moved_fen) AS settled_yuan, campus_time(t.decided_at) AS settled_at,
       code_name('caller_role', t.caller_role) AS caller_role, t.caller, t.id AS transaction_id
  FROM transactions t JOIN merchants m ON m.no = t.merchant_no
 WHERE t.kind = 29 AND t.outcome = 1;

-- Fees 工本费 and other income per business day.
CREATE VIEW fee_income AS
SELECT date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       count(*) AS transactions,
       sum(t.moved_fen) AS amount_fen,
       to_yuan(sum(t.moved_fen)) AS amount_yuan
  FROM transactions t
 WHERE t.outcome = 1 AND t.to_kind = 5 AND t.to_owner = 3
 GROUP BY 1, 2;

-- Every credit of refunds payable (应付退款): the purse of a closed account (报退), and whatever reaches the person after
-- it (a refund, a reversal, a settled or released hold, ...), on the main legs or the side legs (postings has both).
CREATE VIEW refunds_payable AS
SELECT t.id AS transaction_id,
       h.person_no,
       h.name,
       code_name('transaction_kind', t.kind) AS kind,
       campus_time(t.decided_at) AS credited_at,
       date '1970-01-01' + t.business_day AS business_date,
       c.refund_fen,
       to_yuan(c.refund_fen) AS refund_yuan,
       t.request_id
  FROM (SELECT transaction_id, sum(amount_fen) AS refund_fen
          FROM postings
         WHERE account_kind = 5 AND account_owner = 4 AND amount_fen > 0
         GROUP BY transaction_id) c
  JOIN transactions t ON t.id = c.transaction_id
  LEFT JOIN holders h ON h.id = t.holder_id;

-- Refunds payable per person: credited (as in refunds_payable), paid out (debits of refunds payable on the person's
-- rows: refunds payable -> bank clearing) and still owed.
CREATE VIEW refunds_payable_by_person AS
SELECT p.person_no, p.name,
       (SELECT campus_time(max(c.decided_at)) FROM transactions c WHERE c.holder_id = p.holder_id AND c.kind = 13 AND c.outcome = 1) AS closed_at,
       p.credits,
       p.credited_fen, to_yuan(p.credited_fen) AS credited_yuan,
       p.paid_out_fen, to_yuan(p.paid_out_fen) AS paid_out_yuan,
       p.credited_fen - p.paid_out_fen AS owed_fen, to_yuan(p.credited_fen - p.paid_out_fen) AS owed_yuan
  FROM (SELECT h.id AS holder_id, h.person_no, h.name,
               count(DISTINCT l.transaction_id) FILTER (WHERE l.amount_fen > 0) AS credits,
               coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen > 0), 0) AS credited_fen,
               -coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen < 0), 0) AS paid_out_fen
          FROM postings l
          JOIN transactions t ON t.id = l.transaction_id
          JOIN holders h ON h.id = t.holder_id
         WHERE l.account_kind = 5 AND l.account_owner = 4
         GROUP BY h.id, h.person_no, h.name) p;

-- Subsidy batches: issued, recalled, claimed (a claim of the cardholder came after it) and still pending.
CREATE VIEW subsidy_batch_totals AS
WITH subsidies AS (
    SELECT s.request_id AS batch_id, s.id, s.holder_id, s.moved_fen,
           EXISTS (SELECT 1 FROM transactions r WHERE r.kind = 19 AND r.outcome = 1 AND r.scope = s.scope AND r.original_request_id = s.request_id) AS recalled,
           EXISTS (SELECT 1 FROM transactions c WHERE c.holder_id = s.holder_id AND c.id > s.id AND c.outcome = 1
                                                AND (c.kind = 17 OR (c.kind = 1 AND c.effect = 5))) AS claimed
      FROM transactions s
     WHERE s.kind = 18 AND s.outcome = 1),
totals AS (
    SELECT b.batch_id, b.deadline, b.memo, b.created_by,
           count(s.id) AS issued, coalesce(sum(s.moved_fen), 0) AS issued_fen,
           count(s.id) FILTER (WHERE s.claimed AND NOT s.recalled) AS claimed, coalesce(sum(s.moved_fen) FILTER (WHERE s.claimed AND NOT s.recalled), 0) AS claimed_fen,
           count(s.id) FILTER (WHERE s.recalled) AS recalled, coalesce(sum(s.moved_fen) FILTER (WHERE s.recalled), 0) AS recalled_fen,
           count(s.id) FILTER (WHERE NOT s.claimed AND NOT s.recalled) AS unclaimed, coalesce(sum(s.moved_fen) FILTER (WHERE NOT s.claimed AND NOT s.recalled), 0) AS unclaimed_fen
      FROM subsidy_batches b LEFT JOIN subsidies s ON s.batch_id = b.batch_id
     GROUP BY b.batch_id, b.deadline, b.memo, b.created_by)
SELECT batch_id, campus_time(deadline) AS deadline, memo, created_by,
       issued, issued_fen, to_yuan(issued_fen) AS issued_yuan,
       claimed, claimed_fen, to_yuan(claimed_fen) AS claimed_yuan,
       recalled, recalled_fen, to_yuan(recalled_fen) AS recalled_yuan,
       unclaimed, unclaimed_fen, to_yuan(unclaimed_fen) AS unclaimed_yuan
  FROM totals;

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
       to_yuan(coalesce(b.purse, 0)) AS purse_yuan,
       coalesce(b.wallet, 0) AS wallet_fen,
       to_yuan(coalesce(b.wallet, 0)) AS wallet_yuan,
       coalesce(b.pending, 0) AS pending_fen,
       to_yuan(coalesce(b.pending, 0)) AS pending_yuan,
       coalesce(b.held, 0) AS held_fen,
       to_yuan(coalesce(b.held, 0)) AS held_yuan,
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

-- Who did what: every decision with the caller's role and subject, and whom it was for.
CREATE VIEW audit AS
SELECT campus_time(t.decided_at) AS decided_at, code_name('caller_role', t.caller_role) AS caller_role, t.caller,
       nullif(t.terminal_id, '') AS terminal_id, code_name('transaction_kind', t.kind) AS kind,
       code_name('outcome', t.outcome) AS outcome, h.person_no, t.moved_fen, to_yuan(t.moved_fen) AS moved_yuan,
       t.request_id, t.id
  FROM transactions t LEFT JOIN holders h ON h.id = t.holder_id;
