-- Finance per campus (docs/finance.md, "Finance logins per campus"): a finance login of a campus reads only its
-- campus's rows, in every view and table it may read, by row-level security; a vendor's login reads every campus's,
-- and the views name the campus of each row where a reader of many needs it to tell rows apart.
--
-- The service's own role owns the tables, and an owner is not subject to its tables' row-level security unless they
-- are altered FORCE ROW LEVEL SECURITY, which they are not and must not be: the service reads and writes every
-- campus's rows (so does a superuser, and a role with BYPASSRLS, which scripts/finance-login.sh refuses to make a
-- finance login).

-- Who reads finance for which campus; a login (a role) not listed here reads no row of any campus.
CREATE TABLE finance_logins (
    login      name     PRIMARY KEY,
    -- The campus the login reads; null for a vendor's login, which reads every campus.
    campus_no  smallint REFERENCES campuses (campus_no)
);

-- Each role reads its own row only, and any role may: current_campus() reads it as its caller.
ALTER TABLE finance_logins ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_row ON finance_logins FOR SELECT USING (login = current_user);
GRANT SELECT ON finance_logins TO PUBLIC;

-- The campus whose rows the current role reads: its campus, 0 for a vendor's login (every campus, as Campuses.None is
-- the vendor's in Domain/Campuses.cs), null for a role not listed (no row passes the policies below).
CREATE FUNCTION current_campus() RETURNS smallint LANGUAGE sql STABLE AS $$
    SELECT coalesce(campus_no, 0::smallint) FROM finance_logins WHERE login = current_user
$$;

-- A row of a campus passes for a login of that campus and for a vendor's login; a row of campus 0 (the system
-- accounts, whose chart every campus shares; each campus reads its balances from its own transactions) for every
-- listed login. Only reading has a policy: every other command is refused to any role but the owner. The campus is
-- taken once per query ((SELECT ...), an init plan), not once per row.
DO $$
DECLARE
    campus_table text;
BEGIN
    FOREACH campus_table IN ARRAY ARRAY['campuses', 'holders', 'merchants', 'cards', 'terminals', 'subsidy_batches', 'transactions', 'accounts'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', campus_table);
        EXECUTE format($policy$
            CREATE POLICY campus_rows ON %I FOR SELECT
                USING ((SELECT current_campus()) IN (0, campus_no) OR campus_no = 0 AND (SELECT current_campus()) IS NOT NULL)
            $policy$, campus_table);
    END LOOP;
END $$;

-- A campus's UTC offset, or the deployment's (campus 1's, which the migrator writes from Engine:UtcOffset) for a campus
-- that has none of its own. campus_settings holds no one's data and is read by every login whole.
CREATE FUNCTION campus_utc_offset_of(campus smallint) RETURNS interval LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT utc_offset FROM campus_settings WHERE campus_no = campus),
                    (SELECT utc_offset FROM campus_settings WHERE campus_no = 1))
$$;

-- The login's campus's offset: campus_time(at), campus_instant, campus_now and campus_today follow it. A vendor's login
-- and the service's role (listed nowhere) read campus 1's.
CREATE OR REPLACE FUNCTION campus_utc_offset() RETURNS interval LANGUAGE sql STABLE AS $$
    SELECT campus_utc_offset_of(coalesce(nullif(current_campus(), 0), 1::smallint))
$$;

-- An instant as a campus's wall-clock time: the views show each row's time in its own campus's.
CREATE FUNCTION campus_time_of(at timestamptz, campus smallint) RETURNS timestamp LANGUAGE sql STABLE AS $$
    SELECT at AT TIME ZONE campus_utc_offset_of(campus)
$$;

-- account_balance_at ran as its owner (migration 012) so that a finance login, which read no table, could call it; the
-- owner reads every campus. A finance login now reads the tables under the policies above, so it runs as its caller:
-- a campus's login gets the balance from its campus's transactions (a system account's share of it), a vendor's the
-- whole balance.
ALTER FUNCTION account_balance_at(smallint, bigint, timestamptz) SECURITY INVOKER;

-- Each leg with its transaction's campus (a campus's legs sum to zero: every transaction's do).
CREATE OR REPLACE VIEW postings AS
    SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen, campus_no
      FROM transactions WHERE from_kind IS NOT NULL
    UNION ALL
    SELECT id, to_kind, to_owner, moved_fen, campus_no
      FROM transactions WHERE to_kind IS NOT NULL
    UNION ALL
    SELECT id, side_from_kind, side_from_owner, -side_fen, campus_no
      FROM transactions WHERE side_from_kind IS NOT NULL
    UNION ALL
    SELECT id, side_to_kind, side_to_owner, side_fen, campus_no
      FROM transactions WHERE side_to_kind IS NOT NULL;

DROP VIEW journal, account_names, cardholder_float, daily_funding, merchant_days, settlements, fee_income, refunds_payable,
    refunds_payable_by_person, subsidy_batch_totals, cardholder_states, audit, offline_records_refused;

-- The views of migrations 012 and 013, each with the campus (its code) of its rows first and their times in that
-- campus's clock; a card number out of a card's request scope ('c:123', campus 2's '2/c:123') by scope_number.

-- Every transaction, approved or declined, with names.
CREATE VIEW journal AS
SELECT c.code AS campus,
       t.id,
       campus_time_of(t.decided_at, t.campus_no) AS decided_at,
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
       CASE WHEN t.scope LIKE 'c:%' OR t.scope LIKE '%/c:%' THEN scope_number(t.scope) ELSE nullif(t.card_no, '') END AS card_no,
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
  LEFT JOIN campuses c ON c.campus_no = t.campus_no
  LEFT JOIN holders h ON h.id = t.holder_id
  LEFT JOIN merchants m ON m.no = t.merchant_no;

-- Each account with its kind's name, its owner's name and its balance; the system accounts' campus is null (every
-- campus shares them: a campus's login reads its campus's share of their balances).
CREATE VIEW account_names AS
SELECT c.code AS campus,
       a.kind,
       code_name('account_kind', a.kind) AS kind_name,
       a.owner,
       a.name,
       coalesce(b.balance_fen, 0) AS balance_fen,
       to_yuan(coalesce(b.balance_fen, 0)) AS balance_yuan
  FROM accounts a
  LEFT JOIN campuses c ON c.campus_no = a.campus_no
  LEFT JOIN account_balances b ON b.kind = a.kind AND b.owner = a.owner;

-- The trial balance of each campus by account kind, from its transactions' legs: each campus's balances sum to zero.
CREATE VIEW trial_balance_by_campus AS
SELECT c.code AS campus,
       b.kind,
       code_name('account_kind', b.kind) AS kind_name,
       count(*) AS accounts,
       sum(b.balance_fen) AS balance_fen,
       to_yuan(sum(b.balance_fen)) AS balance_yuan
  FROM (SELECT campus_no, account_kind AS kind, account_owner AS owner, sum(amount_fen) AS balance_fen
          FROM postings GROUP BY campus_no, account_kind, account_owner) b
  LEFT JOIN campuses c ON c.campus_no = b.campus_no
 GROUP BY b.campus_no, c.code, b.kind;

-- What each campus owes cardholders (purses, e-wallets, pending amounts, open holds) against its bank clearing (what
-- came in from banks less what went out to them in settlements); the rest is merchants' takings not yet settled, fees,
-- refunds payable, the subsidy fund and suspense. One row per campus, of zeros for a campus without transactions.
CREATE VIEW cardholder_float AS
SELECT f.campus,
       f.owed_to_cardholders_fen, to_yuan(f.owed_to_cardholders_fen) AS owed_to_cardholders_yuan,
       f.purses_fen, to_yuan(f.purses_fen) AS purses_yuan,
       f.wallets_fen, to_yuan(f.wallets_fen) AS wallets_yuan,
       f.pending_fen, to_yuan(f.pending_fen) AS pending_yuan,
       f.holds_fen, to_yuan(f.holds_fen) AS holds_yuan,
       f.merchants_unsettled_fen, to_yuan(f.merchants_unsettled_fen) AS merchants_unsettled_yuan,
       f.bank_clearing_fen, to_yuan(f.bank_clearing_fen) AS bank_clearing_yuan,
       f.other_system_fen, to_yuan(f.other_system_fen) AS other_system_yuan
  FROM (SELECT c.code AS campus,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind IN (1, 2, 3, 6)), 0) AS owed_to_cardholders_fen,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 1), 0) AS purses_fen,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 2), 0) AS wallets_fen,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 3), 0) AS pending_fen,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 6), 0) AS holds_fen,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 4), 0) AS merchants_unsettled_fen,
               -coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 5 AND p.account_owner = 1), 0) AS bank_clearing_fen,
               coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 5 AND p.account_owner <> 1), 0) AS other_system_fen
          FROM campuses c
          LEFT JOIN postings p ON p.campus_no = c.campus_no
         GROUP BY c.campus_no, c.code) f;

-- Money in per campus, business day and channel: quota top-ups (per channel), e-wallet top-ups, credits (per source).
CREATE VIEW daily_funding AS
SELECT c.code AS campus,
       date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       CASE t.kind WHEN 4 THEN code_name('system_account', t.source) ELSE nullif(t.channel, '') END AS channel,
       count(*) AS transactions,
       sum(t.moved_fen) AS amount_fen,
       to_yuan(sum(t.moved_fen)) AS amount_yuan
  FROM transactions t
  LEFT JOIN campuses c ON c.campus_no = t.campus_no
 WHERE t.outcome = 1 AND t.kind IN (3, 4, 21)
 GROUP BY 1, 2, 3, 4;

-- A merchant's business day: what it took (debits, offline records, settled holds, payments), gave back (reversals,
-- payment refunds), and the net, from the merchant account's legs (its settlements are in the view settlements).
CREATE VIEW merchant_days AS
SELECT d.campus, d.merchant_id, d.merchant_name, d.category, d.business_date,
       d.sales, d.gross_fen, to_yuan(d.gross_fen) AS gross_yuan,
       d.reversals, d.reversals_fen, to_yuan(d.reversals_fen) AS reversals_yuan,
       d.refunds, d.refunds_fen, to_yuan(d.refunds_fen) AS refunds_yuan,
       d.net_fen, to_yuan(d.net_fen) AS net_yuan
  FROM (SELECT c.code AS campus,
               m.merchant_id,
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
          LEFT JOIN campuses c ON c.campus_no = m.campus_no
         WHERE t.outcome = 1 AND (t.to_kind = 4 OR t.from_kind = 4) AND t.kind <> 29
         GROUP BY m.no, c.code, m.merchant_id, m.name, m.category, t.business_day) d;

-- Settlements 结算: per merchant and business day settled, what moved merchant -> bank clearing, when, by whom.
CREATE VIEW settlements AS
SELECT c.code AS campus, m.merchant_id, m.name AS merchant_name, date '1970-01-01' + t.ref::integer AS business_date,
       t.moved_fen AS settled_fen, to_yuan(t.moved_fen) AS settled_yuan, campus_time_of(t.decided_at, t.campus_no) AS settled_at,
       code_name('caller_role', t.caller_role) AS caller_role, t.caller, t.id AS transaction_id
  FROM transactions t
  JOIN merchants m ON m.no = t.merchant_no
  LEFT JOIN campuses c ON c.campus_no = m.campus_no
 WHERE t.kind = 29 AND t.outcome = 1;

-- Fees 工本费 and other income per campus and business day.
CREATE VIEW fee_income AS
SELECT c.code AS campus,
       date '1970-01-01' + t.business_day AS business_date,
       code_name('transaction_kind', t.kind) AS kind,
       count(*) AS transactions,
       sum(t.moved_fen) AS amount_fen,
       to_yuan(sum(t.moved_fen)) AS amount_yuan
  FROM transactions t
  LEFT JOIN campuses c ON c.campus_no = t.campus_no
 WHERE t.outcome = 1 AND t.to_kind = 5 AND t.to_owner = 3
 GROUP BY 1, 2, 3;

-- Every credit of refunds payable (应付退款): the purse of a closed account (报退), and whatever reaches the person after
-- it (a refund, a reversal, a settled or released hold, ...), on the main legs or the side legs (postings has both).
CREATE VIEW refunds_payable AS
SELECT c.code AS campus,
       t.id AS transaction_id,
       h.person_no,
       h.name,
       code_name('transaction_kind', t.kind) AS kind,
       campus_time_of(t.decided_at, t.campus_no) AS credited_at,
       date '1970-01-01' + t.business_day AS business_date,
       r.refund_fen,
       to_yuan(r.refund_fen) AS refund_yuan,
       t.request_id
  FROM (SELECT transaction_id, sum(amount_fen) AS refund_fen
          FROM postings
         WHERE account_kind = 5 AND account_owner = 4 AND amount_fen > 0
         GROUP BY transaction_id) r
  JOIN transactions t ON t.id = r.transaction_id
  LEFT JOIN campuses c ON c.campus_no = t.campus_no
  LEFT JOIN holders h ON h.id = t.holder_id;

-- Refunds payable per person: credited (as in refunds_payable), paid out (debits of refunds payable on the person's
-- rows: refunds payable -> bank clearing) and still owed.
CREATE VIEW refunds_payable_by_person AS
SELECT c.code AS campus, p.person_no, p.name,
       (SELECT campus_time_of(max(x.decided_at), p.campus_no) FROM transactions x WHERE x.holder_id = p.holder_id AND x.kind = 13 AND x.outcome = 1) AS closed_at,
       p.credits,
       p.credited_fen, to_yuan(p.credited_fen) AS credited_yuan,
       p.paid_out_fen, to_yuan(p.paid_out_fen) AS paid_out_yuan,
       p.credited_fen - p.paid_out_fen AS owed_fen, to_yuan(p.credited_fen - p.paid_out_fen) AS owed_yuan
  FROM (SELECT h.id AS holder_id, h.campus_no, h.person_no, h.name,
               count(DISTINCT l.transaction_id) FILTER (WHERE l.amount_fen > 0) AS credits,
               coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen > 0), 0) AS credited_fen,
               -coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen < 0), 0) AS paid_out_fen
          FROM postings l
          JOIN transactions t ON t.id = l.transaction_id
          JOIN holders h ON h.id = t.holder_id
         WHERE l.account_kind = 5 AND l.account_owner = 4
         GROUP BY h.id, h.campus_no, h.person_no, h.name) p
  LEFT JOIN campuses c ON c.campus_no = p.campus_no;

-- Subsidy batches: issued, recalled, claimed (a claim of the cardholder came after it) and still pending. A batch id
-- is its campus's: a batch's subsidies are the rows of its campus under its id.
CREATE VIEW subsidy_batch_totals AS
WITH subsidies AS (
    SELECT s.campus_no, s.request_id AS batch_id, s.id, s.holder_id, s.moved_fen,
           EXISTS (SELECT 1 FROM transactions r WHERE r.kind = 19 AND r.outcome = 1 AND r.scope = s.scope AND r.original_request_id = s.request_id) AS recalled,
           EXISTS (SELECT 1 FROM transactions c WHERE c.holder_id = s.holder_id AND c.id > s.id AND c.outcome = 1
                                                AND (c.kind = 17 OR (c.kind = 1 AND c.effect = 5))) AS claimed
      FROM transactions s
     WHERE s.kind = 18 AND s.outcome = 1),
totals AS (
    SELECT b.campus_no, b.batch_id, b.deadline, b.memo, b.created_by,
           count(s.id) AS issued, coalesce(sum(s.moved_fen), 0) AS issued_fen,
           count(s.id) FILTER (WHERE s.claimed AND NOT s.recalled) AS claimed, coalesce(sum(s.moved_fen) FILTER (WHERE s.claimed AND NOT s.recalled), 0) AS claimed_fen,
           count(s.id) FILTER (WHERE s.recalled) AS recalled, coalesce(sum(s.moved_fen) FILTER (WHERE s.recalled), 0) AS recalled_fen,
           count(s.id) FILTER (WHERE NOT s.claimed AND NOT s.recalled) AS unclaimed, coalesce(sum(s.moved_fen) FILTER (WHERE NOT s.claimed AND NOT s.recalled), 0) AS unclaimed_fen
      FROM subsidy_batches b LEFT JOIN subsidies s ON s.campus_no = b.campus_no AND s.batch_id = b.batch_id
     GROUP BY b.campus_no, b.batch_id, b.deadline, b.memo, b.created_by)
SELECT c.code AS campus, t.batch_id, campus_time_of(t.deadline, t.campus_no) AS deadline, t.memo, t.created_by,
       t.issued, t.issued_fen, to_yuan(t.issued_fen) AS issued_yuan,
       t.claimed, t.claimed_fen, to_yuan(t.claimed_fen) AS claimed_yuan,
       t.recalled, t.recalled_fen, to_yuan(t.recalled_fen) AS recalled_yuan,
       t.unclaimed, t.unclaimed_fen, to_yuan(t.unclaimed_fen) AS unclaimed_yuan
  FROM totals t
  LEFT JOIN campuses c ON c.campus_no = t.campus_no;

-- Each cardholder's card now: state, freeze reasons, balances; the card office's lists filter it (frozen, overdrawn,
-- lost, offline records flagged).
CREATE VIEW cardholder_states AS
WITH newest AS (
    SELECT DISTINCT ON (holder_id) holder_id, holder_after FROM transactions WHERE holder_after IS NOT NULL ORDER BY holder_id, id DESC)
SELECT c.code AS campus, h.person_no, h.name,
       code_name('card_type', h.card_type) AS card_type,
       CASE WHEN holder_field(n.holder_after, 'closed') = 1 THEN 'closed'
            WHEN holder_field(n.holder_after, 'lost') = 1 THEN 'lost'
            WHEN holder_field(n.holder_after, 'freeze') <> 0 THEN 'frozen'
            ELSE 'active' END AS state,
       split_part(freeze_reasons(n.holder_after), ', ', 1) AS freeze_reason,
       coalesce(b.purse, 0) AS purse_fen,
       to_yuan(coalesce(b.purse, 0)) AS purse_yuan,
       coalesce(b.wallet, 0) AS wallet_fen,
       to_yuan(coalesce(b.wallet, 0)) AS wallet_yuan,
       coalesce(b.pending, 0) AS pending_fen,
       to_yuan(coalesce(b.pending, 0)) AS pending_yuan,
       coalesce(b.held, 0) AS held_fen,
       to_yuan(coalesce(b.held, 0)) AS held_yuan,
       coalesce(b.purse, 0) < 0 AS overdrawn,
       (SELECT count(*) FROM transactions o WHERE o.holder_id = h.id AND o.kind = 25 AND o.effect IN (6, 7, 8)) AS flagged_offline_records,
       freeze_reasons(n.holder_after) AS freeze_reasons
  FROM holders h
  JOIN newest n ON n.holder_id = h.id
  LEFT JOIN campuses c ON c.campus_no = h.campus_no
  LEFT JOIN (SELECT owner,
                    sum(balance_fen) FILTER (WHERE kind = 1) AS purse,
                    sum(balance_fen) FILTER (WHERE kind = 2) AS wallet,
                    sum(balance_fen) FILTER (WHERE kind = 3) AS pending,
                    sum(balance_fen) FILTER (WHERE kind = 6) AS held
               FROM account_balances WHERE kind IN (1, 2, 3, 6) GROUP BY owner) b ON b.owner = h.id;

-- Who did what: every decision with the caller's role and subject, and whom it was for.
CREATE VIEW audit AS
SELECT c.code AS campus, campus_time_of(t.decided_at, t.campus_no) AS decided_at, code_name('caller_role', t.caller_role) AS caller_role,
       t.caller, nullif(t.terminal_id, '') AS terminal_id, code_name('transaction_kind', t.kind) AS kind,
       code_name('outcome', t.outcome) AS outcome, h.person_no, t.moved_fen, to_yuan(t.moved_fen) AS moved_yuan,
       t.request_id, t.id
  FROM transactions t
  LEFT JOIN campuses c ON c.campus_no = t.campus_no
  LEFT JOIN holders h ON h.id = t.holder_id;

-- Offline records older than the campus books (Cards:OfflineMaxAge), declined OFFLINE_RECORD_TOO_OLD and not booked:
-- the card office's list, to settle with the terminal's merchant (of the record's campus) and the cardholder by hand.
CREATE VIEW offline_records_refused AS
SELECT c.code AS campus, campus_time_of(t.decided_at, t.campus_no) AS uploaded_at, campus_time_of(t.occurred_at, t.campus_no) AS occurred_at,
       t.terminal_id, t.ref AS terminal_seq, m.merchant_id, m.name AS merchant_name, scope_number(t.scope) AS card_no,
       h.person_no, h.name AS holder_name, t.amount_fen, to_yuan(t.amount_fen) AS amount_yuan, t.id AS transaction_id
  FROM transactions t
  LEFT JOIN campuses c ON c.campus_no = t.campus_no
  LEFT JOIN merchants m ON m.campus_no = t.campus_no AND m.merchant_id = t.merchant_id
  LEFT JOIN holders h ON h.id = t.holder_id
 WHERE t.kind = 25 AND t.outcome = 2 AND t.reason = 43;

-- Every view runs with its caller's rights, so the policies above apply through it (a view runs as its owner
-- otherwise, and the owner reads every row). A later migration's view must be altered the same way:
-- FinanceLoginTests checks every view of the schema.
DO $$
DECLARE
    view_name text;
BEGIN
    FOR view_name IN SELECT viewname FROM pg_views WHERE schemaname = current_schema() LOOP
        EXECUTE format('ALTER VIEW %I SET (security_invoker = true)', view_name);
    END LOOP;
END $$;
