-- SQL Server 2019 (T-SQL): sql/postgres/016, finance per campus (docs/finance.md, "Finance logins per campus"): a
-- finance login of a campus reads only its campus's rows, through every view and function, by a security policy; a
-- vendor's login reads every campus's, and the views name the campus of each row.
--
-- Differences from the PostgreSQL text, not in the columns: a security policy with an inline predicate function
-- (PostgreSQL: a policy per table), which SQL Server applies through views and functions whoever owns them (no
-- security_invoker). It filters the rows for the members of the role finance_reader (logins/finance_reader.sql) only:
-- here the service's login is not the tables' owner (docs/sqlserver.md) and reads every campus's rows, as the owner
-- does; PostgreSQL's owner is exempt by being the owner. A member listed in no row of finance_logins reads no row.
-- The login is the database user's name (USER_NAME()), which a view or function owned by dbo does not change. No
-- function is overloaded in T-SQL, so the per-campus ones have their own names, as in PostgreSQL.

-- Who reads finance for which campus: a member of finance_reader listed here reads its campus's rows, every campus's
-- when campus_no is null (a vendor's login).
CREATE TABLE dbo.finance_logins (
    login      sysname  NOT NULL CONSTRAINT finance_logins_pkey PRIMARY KEY,
    campus_no  smallint NULL CONSTRAINT finance_logins_campus_no_fkey REFERENCES dbo.campuses (campus_no)
);
GO

-- A row of a campus passes for whoever is not a member of finance_reader (the service, the owner), and for a member
-- listed for that campus or for every campus; a row of campus 0 (the system accounts, whose chart every campus shares)
-- for every listed member. IS_MEMBER is 0 for dbo, and null before finance_reader exists.
CREATE FUNCTION dbo.campus_rows(@campus_no smallint) RETURNS TABLE
WITH SCHEMABINDING
AS
RETURN
    SELECT 1 AS visible
     WHERE COALESCE(IS_MEMBER(N'finance_reader'), 0) = 0
        OR EXISTS (SELECT 1 FROM dbo.finance_logins AS f
                    WHERE f.login = USER_NAME() AND (f.campus_no IS NULL OR f.campus_no = @campus_no OR @campus_no = 0));
GO

-- The campus whose rows the current user reads: its campus, 0 for a vendor's login, null for a user listed nowhere.
CREATE FUNCTION dbo.current_campus() RETURNS smallint
AS
BEGIN
    RETURN (SELECT COALESCE(f.campus_no, CAST(0 AS smallint)) FROM dbo.finance_logins AS f WHERE f.login = USER_NAME());
END;
GO

-- A campus's UTC offset, or the deployment's (campus 1's, which the migrator writes from Engine:UtcOffset) for a campus
-- that has none of its own.
CREATE FUNCTION dbo.campus_utc_offset_of(@campus smallint) RETURNS nvarchar(6)
AS
BEGIN
    RETURN COALESCE((SELECT s.utc_offset FROM dbo.campus_settings AS s WHERE s.campus_no = @campus),
                    (SELECT s.utc_offset FROM dbo.campus_settings AS s WHERE s.campus_no = 1));
END;
GO

-- The login's campus's offset: campus_time, campus_instant, campus_now and campus_today follow it; campus 1's for a
-- vendor's login, the service and the owner.
ALTER FUNCTION dbo.campus_utc_offset() RETURNS nvarchar(6)
AS
BEGIN
    RETURN dbo.campus_utc_offset_of(COALESCE(NULLIF(dbo.current_campus(), 0), 1));
END;
GO

-- An instant as a campus's wall-clock time: the views show each row's time in its own campus's.
CREATE FUNCTION dbo.campus_time_of(@at datetimeoffset(6), @campus smallint) RETURNS datetime2(6)
AS
BEGIN
    RETURN CAST(SWITCHOFFSET(@at, dbo.campus_utc_offset_of(@campus)) AS datetime2(6));
END;
GO

DROP VIEW dbo.postings, dbo.journal, dbo.account_names, dbo.cardholder_float, dbo.daily_funding, dbo.merchant_days,
    dbo.settlements, dbo.fee_income, dbo.refunds_payable, dbo.refunds_payable_by_person, dbo.subsidy_batch_totals,
    dbo.cardholder_states, dbo.audit, dbo.offline_records_refused;
GO

-- Each leg with its transaction's campus (a campus's legs sum to zero: every transaction's do). account_balances and
-- trial_balance read it by name and stay as they are.
CREATE VIEW dbo.postings AS
SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen, campus_no
  FROM dbo.transactions WHERE from_kind IS NOT NULL
UNION ALL
SELECT id, to_kind, to_owner, moved_fen, campus_no
  FROM dbo.transactions WHERE to_kind IS NOT NULL
UNION ALL
SELECT id, side_from_kind, side_from_owner, -side_fen, campus_no
  FROM dbo.transactions WHERE side_from_kind IS NOT NULL
UNION ALL
SELECT id, side_to_kind, side_to_owner, side_fen, campus_no
  FROM dbo.transactions WHERE side_to_kind IS NOT NULL;
GO

-- The views of 004, 005 and 007, each with the campus (its code) of its rows first and their times in that campus's
-- clock.

-- Every transaction, approved or declined, with names.
CREATE VIEW dbo.journal AS
SELECT c.code AS campus,
       t.id,
       dbo.campus_time_of(t.decided_at, t.campus_no) AS decided_at,
       DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
       dbo.code_name(N'transaction_kind', t.kind) AS kind,
       dbo.code_name(N'outcome', t.outcome) AS outcome,
       dbo.code_name(N'decline_reason', t.reason) AS decline_reason,
       dbo.code_name(N'effect', t.effect) AS effect,
       t.amount_fen,
       dbo.to_yuan(t.amount_fen) AS amount_yuan,
       t.moved_fen,
       dbo.to_yuan(t.moved_fen) AS moved_yuan,
       t.side_fen,
       dbo.to_yuan(t.side_fen) AS side_yuan,
       h.person_no,
       h.name AS holder_name,
       CASE WHEN t.scope LIKE N'c:%' OR t.scope LIKE N'%/c:%' THEN dbo.scope_number(t.scope) ELSE NULLIF(t.card_no, N'') END AS card_no,
       m.merchant_id,
       m.name AS merchant_name,
       dbo.code_name(N'merchant_category', m.category) AS merchant_category,
       NULLIF(t.terminal_id, N'') AS terminal_id,
       NULLIF(t.channel, N'') AS channel,
       NULLIF(t.memo, N'') AS memo,
       t.purse_after_fen,
       dbo.to_yuan(t.purse_after_fen) AS purse_after_yuan,
       t.wallet_after_fen,
       dbo.to_yuan(t.wallet_after_fen) AS wallet_after_yuan,
       t.pending_after_fen,
       dbo.to_yuan(t.pending_after_fen) AS pending_after_yuan,
       t.held_after_fen,
       dbo.to_yuan(t.held_after_fen) AS held_after_yuan,
       dbo.code_name(N'caller_role', t.caller_role) AS caller_role,
       t.caller,
       t.request_id,
       NULLIF(t.original_request_id, N'') AS original_request_id
  FROM dbo.transactions AS t
  LEFT JOIN dbo.campuses AS c ON c.campus_no = t.campus_no
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id
  LEFT JOIN dbo.merchants AS m ON m.no = t.merchant_no;
GO

-- Each account with its kind's name, its owner's name and its balance; the system accounts' campus is null.
CREATE VIEW dbo.account_names AS
SELECT c.code AS campus,
       a.kind,
       dbo.code_name(N'account_kind', a.kind) AS kind_name,
       a.owner,
       a.name,
       COALESCE(b.balance_fen, 0) AS balance_fen,
       dbo.to_yuan(COALESCE(b.balance_fen, 0)) AS balance_yuan
  FROM dbo.accounts AS a
  LEFT JOIN dbo.campuses AS c ON c.campus_no = a.campus_no
  LEFT JOIN dbo.account_balances AS b ON b.kind = a.kind AND b.owner = a.owner;
GO

-- The trial balance of each campus by account kind, from its transactions' legs: each campus's balances sum to zero.
CREATE VIEW dbo.trial_balance_by_campus AS
SELECT c.code AS campus,
       b.kind,
       dbo.code_name(N'account_kind', b.kind) AS kind_name,
       COUNT_BIG(*) AS accounts,
       SUM(b.balance_fen) AS balance_fen,
       dbo.to_yuan(SUM(b.balance_fen)) AS balance_yuan
  FROM (SELECT p.campus_no, p.account_kind AS kind, p.account_owner AS owner, SUM(p.amount_fen) AS balance_fen
          FROM dbo.postings AS p GROUP BY p.campus_no, p.account_kind, p.account_owner) AS b
  LEFT JOIN dbo.campuses AS c ON c.campus_no = b.campus_no
 GROUP BY b.campus_no, c.code, b.kind;
GO

-- What each campus owes cardholders against its bank clearing; the rest is merchants' takings not yet settled, fees,
-- refunds payable, the subsidy fund and suspense. One row per campus, of zeros for a campus without transactions.
CREATE VIEW dbo.cardholder_float AS
SELECT f.campus,
       f.owed_to_cardholders_fen, dbo.to_yuan(f.owed_to_cardholders_fen) AS owed_to_cardholders_yuan,
       f.purses_fen, dbo.to_yuan(f.purses_fen) AS purses_yuan,
       f.wallets_fen, dbo.to_yuan(f.wallets_fen) AS wallets_yuan,
       f.pending_fen, dbo.to_yuan(f.pending_fen) AS pending_yuan,
       f.holds_fen, dbo.to_yuan(f.holds_fen) AS holds_yuan,
       f.merchants_unsettled_fen, dbo.to_yuan(f.merchants_unsettled_fen) AS merchants_unsettled_yuan,
       f.bank_clearing_fen, dbo.to_yuan(f.bank_clearing_fen) AS bank_clearing_yuan,
       f.other_system_fen, dbo.to_yuan(f.other_system_fen) AS other_system_yuan
  FROM (SELECT c.code AS campus,
               COALESCE(SUM(CASE WHEN p.account_kind IN (1, 2, 3, 6) THEN p.amount_fen END), 0) AS owed_to_cardholders_fen,
               COALESCE(SUM(CASE WHEN p.account_kind = 1 THEN p.amount_fen END), 0) AS purses_fen,
               COALESCE(SUM(CASE WHEN p.account_kind = 2 THEN p.amount_fen END), 0) AS wallets_fen,
               COALESCE(SUM(CASE WHEN p.account_kind = 3 THEN p.amount_fen END), 0) AS pending_fen,
               COALESCE(SUM(CASE WHEN p.account_kind = 6 THEN p.amount_fen END), 0) AS holds_fen,
               COALESCE(SUM(CASE WHEN p.account_kind = 4 THEN p.amount_fen END), 0) AS merchants_unsettled_fen,
               -COALESCE(SUM(CASE WHEN p.account_kind = 5 AND p.account_owner = 1 THEN p.amount_fen END), 0) AS bank_clearing_fen,
               COALESCE(SUM(CASE WHEN p.account_kind = 5 AND p.account_owner <> 1 THEN p.amount_fen END), 0) AS other_system_fen
          FROM dbo.campuses AS c
          LEFT JOIN dbo.postings AS p ON p.campus_no = c.campus_no
         GROUP BY c.campus_no, c.code) AS f;
GO

-- Money in per campus, business day and channel: quota top-ups (per channel), e-wallet top-ups, credits (per source).
CREATE VIEW dbo.daily_funding AS
SELECT f.campus, f.business_date, f.kind, f.channel, COUNT_BIG(*) AS transactions, SUM(f.moved_fen) AS amount_fen,
       dbo.to_yuan(SUM(f.moved_fen)) AS amount_yuan
  FROM (SELECT c.code AS campus,
               DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
               dbo.code_name(N'transaction_kind', t.kind) AS kind,
               CASE t.kind WHEN 4 THEN dbo.code_name(N'system_account', t.source) ELSE NULLIF(t.channel, N'') END AS channel,
               t.moved_fen
          FROM dbo.transactions AS t
          LEFT JOIN dbo.campuses AS c ON c.campus_no = t.campus_no
         WHERE t.outcome = 1 AND t.kind IN (3, 4, 21)) AS f
 GROUP BY f.campus, f.business_date, f.kind, f.channel;
GO

-- A merchant's business day: what it took, gave back, and the net, from the merchant account's legs.
CREATE VIEW dbo.merchant_days AS
SELECT d.campus, d.merchant_id, d.merchant_name, d.category, d.business_date,
       d.sales, d.gross_fen, dbo.to_yuan(d.gross_fen) AS gross_yuan,
       d.reversals, d.reversals_fen, dbo.to_yuan(d.reversals_fen) AS reversals_yuan,
       d.refunds, d.refunds_fen, dbo.to_yuan(d.refunds_fen) AS refunds_yuan,
       d.net_fen, dbo.to_yuan(d.net_fen) AS net_yuan
  FROM (SELECT c.code AS campus,
               m.merchant_id,
               m.name AS merchant_name,
               dbo.code_name(N'merchant_category', m.category) AS category,
               DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
               COUNT_BIG(CASE WHEN t.to_kind = 4 THEN 1 END) AS sales,
               COALESCE(SUM(CASE WHEN t.to_kind = 4 THEN t.moved_fen END), 0) AS gross_fen,
               COUNT_BIG(CASE WHEN t.kind = 2 THEN 1 END) AS reversals,
               COALESCE(SUM(CASE WHEN t.kind = 2 THEN t.moved_fen END), 0) AS reversals_fen,
               COUNT_BIG(CASE WHEN t.kind = 24 THEN 1 END) AS refunds,
               COALESCE(SUM(CASE WHEN t.kind = 24 THEN t.moved_fen END), 0) AS refunds_fen,
               COALESCE(SUM(CASE WHEN t.to_kind = 4 THEN t.moved_fen END), 0) - COALESCE(SUM(CASE WHEN t.from_kind = 4 THEN t.moved_fen END), 0) AS net_fen
          FROM dbo.transactions AS t
          JOIN dbo.merchants AS m ON m.no = CASE WHEN t.to_kind = 4 THEN t.to_owner ELSE t.from_owner END
          LEFT JOIN dbo.campuses AS c ON c.campus_no = m.campus_no
         WHERE t.outcome = 1 AND (t.to_kind = 4 OR t.from_kind = 4) AND t.kind <> 29
         GROUP BY m.no, c.code, m.merchant_id, m.name, m.category, t.business_day) AS d;
GO

-- Settlements: per merchant and business day settled, what moved merchant -> bank clearing, when, by whom.
CREATE VIEW dbo.settlements AS
SELECT c.code AS campus, m.merchant_id, m.name AS merchant_name,
       DATEADD(day, CAST(t.ref AS int), CAST('1970-01-01' AS date)) AS business_date,
       t.moved_fen AS settled_fen, dbo.to_yuan(t.moved_fen) AS settled_yuan, dbo.campus_time_of(t.decided_at, t.campus_no) AS settled_at,
       dbo.code_name(N'caller_role', t.caller_role) AS caller_role, t.caller, t.id AS transaction_id
  FROM dbo.transactions AS t
  JOIN dbo.merchants AS m ON m.no = t.merchant_no
  LEFT JOIN dbo.campuses AS c ON c.campus_no = m.campus_no
 WHERE t.kind = 29 AND t.outcome = 1;
GO

-- Fees and other income per campus and business day.
CREATE VIEW dbo.fee_income AS
SELECT f.campus, f.business_date, f.kind, COUNT_BIG(*) AS transactions, SUM(f.moved_fen) AS amount_fen,
       dbo.to_yuan(SUM(f.moved_fen)) AS amount_yuan
  FROM (SELECT c.code AS campus,
               DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
               dbo.code_name(N'transaction_kind', t.kind) AS kind,
               t.moved_fen
          FROM dbo.transactions AS t
          LEFT JOIN dbo.campuses AS c ON c.campus_no = t.campus_no
         WHERE t.outcome = 1 AND t.to_kind = 5 AND t.to_owner = 3) AS f
 GROUP BY f.campus, f.business_date, f.kind;
GO

-- Every credit of refunds payable, on the main legs or the side legs (postings has both).
CREATE VIEW dbo.refunds_payable AS
SELECT c.code AS campus,
       t.id AS transaction_id,
       h.person_no,
       h.name,
       dbo.code_name(N'transaction_kind', t.kind) AS kind,
       dbo.campus_time_of(t.decided_at, t.campus_no) AS credited_at,
       DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
       r.refund_fen,
       dbo.to_yuan(r.refund_fen) AS refund_yuan,
       t.request_id
  FROM (SELECT p.transaction_id, SUM(p.amount_fen) AS refund_fen
          FROM dbo.postings AS p
         WHERE p.account_kind = 5 AND p.account_owner = 4 AND p.amount_fen > 0
         GROUP BY p.transaction_id) AS r
  JOIN dbo.transactions AS t ON t.id = r.transaction_id
  LEFT JOIN dbo.campuses AS c ON c.campus_no = t.campus_no
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id;
GO

-- Refunds payable per person: credited, paid out (debits of refunds payable on the person's rows) and still owed.
CREATE VIEW dbo.refunds_payable_by_person AS
SELECT c.code AS campus, p.person_no, p.name,
       (SELECT dbo.campus_time_of(MAX(x.decided_at), p.campus_no) FROM dbo.transactions AS x
         WHERE x.holder_id = p.holder_id AND x.kind = 13 AND x.outcome = 1) AS closed_at,
       p.credits,
       p.credited_fen, dbo.to_yuan(p.credited_fen) AS credited_yuan,
       p.paid_out_fen, dbo.to_yuan(p.paid_out_fen) AS paid_out_yuan,
       p.credited_fen - p.paid_out_fen AS owed_fen, dbo.to_yuan(p.credited_fen - p.paid_out_fen) AS owed_yuan
  FROM (SELECT h.id AS holder_id, h.campus_no, h.person_no, h.name,
               COUNT_BIG(DISTINCT CASE WHEN l.amount_fen > 0 THEN l.transaction_id END) AS credits,
               COALESCE(SUM(CASE WHEN l.amount_fen > 0 THEN l.amount_fen END), 0) AS credited_fen,
               -COALESCE(SUM(CASE WHEN l.amount_fen < 0 THEN l.amount_fen END), 0) AS paid_out_fen
          FROM dbo.postings AS l
          JOIN dbo.transactions AS t ON t.id = l.transaction_id
          JOIN dbo.holders AS h ON h.id = t.holder_id
         WHERE l.account_kind = 5 AND l.account_owner = 4
         GROUP BY h.id, h.campus_no, h.person_no, h.name) AS p
  LEFT JOIN dbo.campuses AS c ON c.campus_no = p.campus_no;
GO

-- Subsidy batches: issued, recalled, claimed and still pending. A batch id is its campus's: a batch's subsidies are
-- the rows of its campus under its id.
CREATE VIEW dbo.subsidy_batch_totals AS
WITH subsidies AS (
    SELECT s.campus_no, s.request_id AS batch_id, s.id, s.holder_id, s.moved_fen,
           CASE WHEN EXISTS (SELECT 1 FROM dbo.transactions AS r
                              WHERE r.kind = 19 AND r.outcome = 1 AND r.scope = s.scope AND r.original_request_id = s.request_id)
                THEN 1 ELSE 0 END AS recalled,
           CASE WHEN EXISTS (SELECT 1 FROM dbo.transactions AS c
                              WHERE c.holder_id = s.holder_id AND c.id > s.id AND c.outcome = 1
                                AND (c.kind = 17 OR (c.kind = 1 AND c.effect = 5)))
                THEN 1 ELSE 0 END AS claimed
      FROM dbo.transactions AS s
     WHERE s.kind = 18 AND s.outcome = 1),
totals AS (
    SELECT b.campus_no, b.batch_id, b.deadline, b.memo, b.created_by,
           COUNT_BIG(s.id) AS issued, COALESCE(SUM(s.moved_fen), 0) AS issued_fen,
           COUNT_BIG(CASE WHEN s.claimed = 1 AND s.recalled = 0 THEN s.id END) AS claimed,
           COALESCE(SUM(CASE WHEN s.claimed = 1 AND s.recalled = 0 THEN s.moved_fen END), 0) AS claimed_fen,
           COUNT_BIG(CASE WHEN s.recalled = 1 THEN s.id END) AS recalled,
           COALESCE(SUM(CASE WHEN s.recalled = 1 THEN s.moved_fen END), 0) AS recalled_fen,
           COUNT_BIG(CASE WHEN s.claimed = 0 AND s.recalled = 0 THEN s.id END) AS unclaimed,
           COALESCE(SUM(CASE WHEN s.claimed = 0 AND s.recalled = 0 THEN s.moved_fen END), 0) AS unclaimed_fen
      FROM dbo.subsidy_batches AS b LEFT JOIN subsidies AS s ON s.campus_no = b.campus_no AND s.batch_id = b.batch_id
     GROUP BY b.campus_no, b.batch_id, b.deadline, b.memo, b.created_by)
SELECT c.code AS campus, o.batch_id, dbo.campus_time_of(o.deadline, o.campus_no) AS deadline, o.memo, o.created_by,
       o.issued, o.issued_fen, dbo.to_yuan(o.issued_fen) AS issued_yuan,
       o.claimed, o.claimed_fen, dbo.to_yuan(o.claimed_fen) AS claimed_yuan,
       o.recalled, o.recalled_fen, dbo.to_yuan(o.recalled_fen) AS recalled_yuan,
       o.unclaimed, o.unclaimed_fen, dbo.to_yuan(o.unclaimed_fen) AS unclaimed_yuan
  FROM totals AS o
  LEFT JOIN dbo.campuses AS c ON c.campus_no = o.campus_no;
GO

-- Each cardholder's card now: state, freeze reasons, balances.
CREATE VIEW dbo.cardholder_states AS
WITH newest AS (
    SELECT r.holder_id, r.holder_after
      FROM (SELECT holder_id, holder_after, ROW_NUMBER() OVER (PARTITION BY holder_id ORDER BY id DESC) AS n
              FROM dbo.transactions WHERE holder_after IS NOT NULL) AS r
     WHERE r.n = 1)
SELECT c.code AS campus, h.person_no, h.name,
       dbo.code_name(N'card_type', h.card_type) AS card_type,
       CASE WHEN dbo.holder_field(n.holder_after, N'closed') = 1 THEN N'closed'
            WHEN dbo.holder_field(n.holder_after, N'lost') = 1 THEN N'lost'
            WHEN dbo.holder_field(n.holder_after, N'freeze') <> 0 THEN N'frozen'
            ELSE N'active' END AS state,
       LEFT(dbo.freeze_reasons(n.holder_after), CHARINDEX(N',', dbo.freeze_reasons(n.holder_after) + N',') - 1) AS freeze_reason,
       COALESCE(b.purse, 0) AS purse_fen,
       dbo.to_yuan(COALESCE(b.purse, 0)) AS purse_yuan,
       COALESCE(b.wallet, 0) AS wallet_fen,
       dbo.to_yuan(COALESCE(b.wallet, 0)) AS wallet_yuan,
       COALESCE(b.pending, 0) AS pending_fen,
       dbo.to_yuan(COALESCE(b.pending, 0)) AS pending_yuan,
       COALESCE(b.held, 0) AS held_fen,
       dbo.to_yuan(COALESCE(b.held, 0)) AS held_yuan,
       CAST(CASE WHEN COALESCE(b.purse, 0) < 0 THEN 1 ELSE 0 END AS bit) AS overdrawn,
       (SELECT COUNT_BIG(*) FROM dbo.transactions AS o WHERE o.holder_id = h.id AND o.kind = 25 AND o.effect IN (6, 7, 8)) AS flagged_offline_records,
       dbo.freeze_reasons(n.holder_after) AS freeze_reasons
  FROM dbo.holders AS h
  JOIN newest AS n ON n.holder_id = h.id
  LEFT JOIN dbo.campuses AS c ON c.campus_no = h.campus_no
  LEFT JOIN (SELECT owner,
                    SUM(CASE WHEN kind = 1 THEN balance_fen END) AS purse,
                    SUM(CASE WHEN kind = 2 THEN balance_fen END) AS wallet,
                    SUM(CASE WHEN kind = 3 THEN balance_fen END) AS pending,
                    SUM(CASE WHEN kind = 6 THEN balance_fen END) AS held
               FROM dbo.account_balances WHERE kind IN (1, 2, 3, 6) GROUP BY owner) AS b ON b.owner = h.id;
GO

-- Who did what: every decision with the caller's role and subject, and whom it was for.
CREATE VIEW dbo.audit AS
SELECT c.code AS campus, dbo.campus_time_of(t.decided_at, t.campus_no) AS decided_at,
       dbo.code_name(N'caller_role', t.caller_role) AS caller_role, t.caller,
       NULLIF(t.terminal_id, N'') AS terminal_id, dbo.code_name(N'transaction_kind', t.kind) AS kind,
       dbo.code_name(N'outcome', t.outcome) AS outcome, h.person_no, t.moved_fen, dbo.to_yuan(t.moved_fen) AS moved_yuan,
       t.request_id, t.id
  FROM dbo.transactions AS t
  LEFT JOIN dbo.campuses AS c ON c.campus_no = t.campus_no
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id;
GO

-- Offline records older than the campus books, declined OFFLINE_RECORD_TOO_OLD and not booked.
CREATE VIEW dbo.offline_records_refused AS
SELECT c.code AS campus, dbo.campus_time_of(t.decided_at, t.campus_no) AS uploaded_at,
       dbo.campus_time_of(t.occurred_at, t.campus_no) AS occurred_at, t.terminal_id, t.ref AS terminal_seq,
       m.merchant_id, m.name AS merchant_name, dbo.scope_number(t.scope) AS card_no, h.person_no, h.name AS holder_name,
       t.amount_fen, dbo.to_yuan(t.amount_fen) AS amount_yuan, t.id AS transaction_id
  FROM dbo.transactions AS t
  LEFT JOIN dbo.campuses AS c ON c.campus_no = t.campus_no
  LEFT JOIN dbo.merchants AS m ON m.campus_no = t.campus_no AND m.merchant_id = t.merchant_id
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id
 WHERE t.kind = 25 AND t.outcome = 2 AND t.reason = 43;
GO

-- The rule on every table a finance view reads that carries a campus (PostgreSQL: the policies campus_rows).
CREATE SECURITY POLICY dbo.campus_rows_policy
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.campuses,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.holders,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.merchants,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.cards,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.terminals,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.subsidy_batches,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.transactions,
    ADD FILTER PREDICATE dbo.campus_rows(campus_no) ON dbo.accounts
    WITH (STATE = ON, SCHEMABINDING = ON);
GO
