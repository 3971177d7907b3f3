-- SQL Server 2019 (T-SQL): sql/postgres/012, finance in the campus's own time and in yuan (docs/finance.md). The views
-- show every time as the campus's wall-clock time (datetime2(6), where PostgreSQL has timestamp without time zone) and
-- every amount in fen also in yuan (numeric(14,2)); refunds_payable lists every credit of refunds payable (应付退款)
-- and refunds_payable_by_person what each closed person is still owed.
--
-- Differences from the PostgreSQL text, not in the columns: the offset is text as SWITCHOFFSET and TODATETIMEOFFSET
-- take it ("+08:00", PostgreSQL: an interval); account_balance_at needs no SECURITY DEFINER (SQL Server's ownership
-- chaining lets a login with EXECUTE on it read what it reads; docs/sqlserver.md has the finance role).

-- The campus's settings that SQL needs, written by the migrator from the service's configuration at every start
-- (Engine:UtcOffset), as it writes codes. One row now; a deployment of several campuses keys it by campus.
CREATE TABLE dbo.campus_settings (
    id          smallint    NOT NULL CONSTRAINT campus_settings_pkey PRIMARY KEY CONSTRAINT campus_settings_id_check CHECK (id = 1),
    utc_offset  nvarchar(6) NOT NULL CONSTRAINT campus_settings_utc_offset_check
                CHECK (utc_offset LIKE N'[+-][01][0-9]:[0-5][0-9]' AND SUBSTRING(utc_offset, 2, 5) <= N'14:00')
);
GO

INSERT INTO dbo.campus_settings (id, utc_offset) VALUES (1, N'+08:00');
GO

CREATE FUNCTION dbo.campus_utc_offset() RETURNS nvarchar(6)
AS
BEGIN
    RETURN (SELECT s.utc_offset FROM dbo.campus_settings AS s WHERE s.id = 1);
END;
GO

-- An instant as the campus's wall-clock time.
CREATE FUNCTION dbo.campus_time(@at datetimeoffset(6)) RETURNS datetime2(6)
AS
BEGIN
    RETURN CAST(SWITCHOFFSET(@at, dbo.campus_utc_offset()) AS datetime2(6));
END;
GO

-- A wall-clock time on campus as an instant: for account_balance_at and comparisons with the journal's instants.
CREATE FUNCTION dbo.campus_instant(@local datetime2(6)) RETURNS datetimeoffset(6)
AS
BEGIN
    RETURN TODATETIMEOFFSET(@local, dbo.campus_utc_offset());
END;
GO

CREATE FUNCTION dbo.campus_now() RETURNS datetime2(6)
AS
BEGIN
    RETURN dbo.campus_time(SYSDATETIMEOFFSET());
END;
GO

-- The campus's date now: yesterday's business date is DATEADD(day, -1, dbo.campus_today()), at any hour.
CREATE FUNCTION dbo.campus_today() RETURNS date
AS
BEGIN
    RETURN CAST(dbo.campus_now() AS date);
END;
GO

-- Money in yuan, beside every amount in fen.
CREATE FUNCTION dbo.to_yuan(@fen bigint) RETURNS numeric(14, 2)
AS
BEGIN
    RETURN CAST(@fen / 100.0 AS numeric(14, 2));
END;
GO

DROP VIEW dbo.journal, dbo.account_names, dbo.trial_balance_by_kind, dbo.cardholder_float, dbo.daily_funding,
    dbo.merchant_days, dbo.settlements, dbo.fee_income, dbo.refunds_payable, dbo.subsidy_batch_totals,
    dbo.cardholder_states, dbo.audit;
GO

-- Every transaction, approved or declined, with names.
CREATE VIEW dbo.journal AS
SELECT t.id,
       dbo.campus_time(t.decided_at) AS decided_at,
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
       CASE WHEN t.scope LIKE N'c:%' THEN SUBSTRING(t.scope, 3, 64) ELSE NULLIF(t.card_no, N'') END AS card_no,
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
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id
  LEFT JOIN dbo.merchants AS m ON m.no = t.merchant_no;
GO

-- Each account with its kind's name, its owner's name and its balance.
CREATE VIEW dbo.account_names AS
SELECT a.kind,
       dbo.code_name(N'account_kind', a.kind) AS kind_name,
       a.owner,
       a.name,
       COALESCE(b.balance_fen, 0) AS balance_fen,
       dbo.to_yuan(COALESCE(b.balance_fen, 0)) AS balance_yuan
  FROM dbo.accounts AS a
  LEFT JOIN dbo.account_balances AS b ON b.kind = a.kind AND b.owner = a.owner;
GO

-- The trial balance by account kind, named; its balances sum to zero.
CREATE VIEW dbo.trial_balance_by_kind AS
SELECT t.kind, dbo.code_name(N'account_kind', t.kind) AS kind_name, t.accounts, t.balance_fen, dbo.to_yuan(t.balance_fen) AS balance_yuan
  FROM dbo.trial_balance AS t;
GO

-- What the campus owes cardholders (purses, e-wallets, pending amounts, open holds) against the bank clearing account;
-- the rest is merchants' takings not yet settled, fees, refunds payable, the subsidy fund and suspense.
CREATE VIEW dbo.cardholder_float AS
SELECT f.owed_to_cardholders_fen, dbo.to_yuan(f.owed_to_cardholders_fen) AS owed_to_cardholders_yuan,
       f.purses_fen, dbo.to_yuan(f.purses_fen) AS purses_yuan,
       f.wallets_fen, dbo.to_yuan(f.wallets_fen) AS wallets_yuan,
       f.pending_fen, dbo.to_yuan(f.pending_fen) AS pending_yuan,
       f.holds_fen, dbo.to_yuan(f.holds_fen) AS holds_yuan,
       f.merchants_unsettled_fen, dbo.to_yuan(f.merchants_unsettled_fen) AS merchants_unsettled_yuan,
       f.bank_clearing_fen, dbo.to_yuan(f.bank_clearing_fen) AS bank_clearing_yuan,
       f.other_system_fen, dbo.to_yuan(f.other_system_fen) AS other_system_yuan
  FROM (SELECT COALESCE(SUM(CASE WHEN kind IN (1, 2, 3, 6) THEN balance_fen END), 0) AS owed_to_cardholders_fen,
               COALESCE(SUM(CASE WHEN kind = 1 THEN balance_fen END), 0) AS purses_fen,
               COALESCE(SUM(CASE WHEN kind = 2 THEN balance_fen END), 0) AS wallets_fen,
               COALESCE(SUM(CASE WHEN kind = 3 THEN balance_fen END), 0) AS pending_fen,
               COALESCE(SUM(CASE WHEN kind = 6 THEN balance_fen END), 0) AS holds_fen,
               COALESCE(SUM(CASE WHEN kind = 4 THEN balance_fen END), 0) AS merchants_unsettled_fen,
               -COALESCE(SUM(CASE WHEN kind = 5 AND owner = 1 THEN balance_fen END), 0) AS bank_clearing_fen,
               COALESCE(SUM(CASE WHEN kind = 5 AND owner <> 1 THEN balance_fen END), 0) AS other_system_fen
          FROM dbo.account_balances) AS f;
GO

-- Money in per business day and channel: quota top-ups (per channel), e-wallet top-ups, credits (per source).
CREATE VIEW dbo.daily_funding AS
SELECT f.business_date, f.kind, f.channel, COUNT_BIG(*) AS transactions, SUM(f.moved_fen) AS amount_fen,
       dbo.to_yuan(SUM(f.moved_fen)) AS amount_yuan
  FROM (SELECT DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
               dbo.code_name(N'transaction_kind', t.kind) AS kind,
               CASE t.kind WHEN 4 THEN dbo.code_name(N'system_account', t.source) ELSE NULLIF(t.channel, N'') END AS channel,
               t.moved_fen
          FROM dbo.transactions AS t
         WHERE t.outcome = 1 AND t.kind IN (3, 4, 21)) AS f
 GROUP BY f.business_date, f.kind, f.channel;
GO

-- A merchant's business day: what it took (debits, offline records, settled holds, payments), gave back (reversals,
-- payment refunds), and the net, from the merchant account's legs (its settlements are in the view settlements).
CREATE VIEW dbo.merchant_days AS
SELECT d.merchant_id, d.merchant_name, d.category, d.business_date,
       d.sales, d.gross_fen, dbo.to_yuan(d.gross_fen) AS gross_yuan,
       d.reversals, d.reversals_fen, dbo.to_yuan(d.reversals_fen) AS reversals_yuan,
       d.refunds, d.refunds_fen, dbo.to_yuan(d.refunds_fen) AS refunds_yuan,
       d.net_fen, dbo.to_yuan(d.net_fen) AS net_yuan
  FROM (SELECT m.merchant_id,
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
         WHERE t.outcome = 1 AND (t.to_kind = 4 OR t.from_kind = 4) AND t.kind <> 29
         GROUP BY m.merchant_id, m.name, m.category, t.business_day) AS d;
GO

-- Settlements: per merchant and business day settled, what moved merchant -> bank clearing, when, by whom.
CREATE VIEW dbo.settlements AS
SELECT m.merchant_id, m.name AS merchant_name, DATEADD(day, CAST(t.ref AS int), CAST('1970-01-01' AS date)) AS business_date,
       t.moved_fen AS settled_fen, dbo.to_yuan(t.moved_fen) AS settled_yuan, dbo.campus_time(t.decided_at) AS settled_at,
       dbo.code_name(N'caller_role', t.caller_role) AS caller_role, t.caller, t.id AS transaction_id
  FROM dbo.transactions AS t JOIN dbo.merchants AS m ON m.no = t.merchant_no
 WHERE t.kind = 29 AND t.outcome = 1;
GO

-- Fees and other income per business day.
CREATE VIEW dbo.fee_income AS
SELECT f.business_date, f.kind, COUNT_BIG(*) AS transactions, SUM(f.moved_fen) AS amount_fen,
       dbo.to_yuan(SUM(f.moved_fen)) AS amount_yuan
  FROM (SELECT DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
               dbo.code_name(N'transaction_kind', t.kind) AS kind,
               t.moved_fen
          FROM dbo.transactions AS t
         WHERE t.outcome = 1 AND t.to_kind = 5 AND t.to_owner = 3) AS f
 GROUP BY f.business_date, f.kind;
GO

-- Every credit of refunds payable: the purse of a closed account, and whatever reaches the person after it, on the
-- main legs or the side legs (postings has both).
CREATE VIEW dbo.refunds_payable AS
SELECT t.id AS transaction_id,
       h.person_no,
       h.name,
       dbo.code_name(N'transaction_kind', t.kind) AS kind,
       dbo.campus_time(t.decided_at) AS credited_at,
       DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
       c.refund_fen,
       dbo.to_yuan(c.refund_fen) AS refund_yuan,
       t.request_id
  FROM (SELECT p.transaction_id, SUM(p.amount_fen) AS refund_fen
          FROM dbo.postings AS p
         WHERE p.account_kind = 5 AND p.account_owner = 4 AND p.amount_fen > 0
         GROUP BY p.transaction_id) AS c
  JOIN dbo.transactions AS t ON t.id = c.transaction_id
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id;
GO

-- Refunds payable per person: credited, paid out (debits of refunds payable on the person's rows) and still owed.
CREATE VIEW dbo.refunds_payable_by_person AS
SELECT p.person_no, p.name,
       (SELECT dbo.campus_time(MAX(c.decided_at)) FROM dbo.transactions AS c
         WHERE c.holder_id = p.holder_id AND c.kind = 13 AND c.outcome = 1) AS closed_at,
       p.credits,
       p.credited_fen, dbo.to_yuan(p.credited_fen) AS credited_yuan,
       p.paid_out_fen, dbo.to_yuan(p.paid_out_fen) AS paid_out_yuan,
       p.credited_fen - p.paid_out_fen AS owed_fen, dbo.to_yuan(p.credited_fen - p.paid_out_fen) AS owed_yuan
  FROM (SELECT h.id AS holder_id, h.person_no, h.name,
               COUNT_BIG(DISTINCT CASE WHEN l.amount_fen > 0 THEN l.transaction_id END) AS credits,
               COALESCE(SUM(CASE WHEN l.amount_fen > 0 THEN l.amount_fen END), 0) AS credited_fen,
               -COALESCE(SUM(CASE WHEN l.amount_fen < 0 THEN l.amount_fen END), 0) AS paid_out_fen
          FROM dbo.postings AS l
          JOIN dbo.transactions AS t ON t.id = l.transaction_id
          JOIN dbo.holders AS h ON h.id = t.holder_id
         WHERE l.account_kind = 5 AND l.account_owner = 4
         GROUP BY h.id, h.person_no, h.name) AS p;
GO

-- Subsidy batches: issued, recalled, claimed (a claim of the cardholder came after it) and still pending.
CREATE VIEW dbo.subsidy_batch_totals AS
WITH subsidies AS (
    SELECT s.request_id AS batch_id, s.id, s.holder_id, s.moved_fen,
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
    SELECT b.batch_id, b.deadline, b.memo, b.created_by,
           COUNT_BIG(s.id) AS issued, COALESCE(SUM(s.moved_fen), 0) AS issued_fen,
           COUNT_BIG(CASE WHEN s.claimed = 1 AND s.recalled = 0 THEN s.id END) AS claimed,
           COALESCE(SUM(CASE WHEN s.claimed = 1 AND s.recalled = 0 THEN s.moved_fen END), 0) AS claimed_fen,
           COUNT_BIG(CASE WHEN s.recalled = 1 THEN s.id END) AS recalled,
           COALESCE(SUM(CASE WHEN s.recalled = 1 THEN s.moved_fen END), 0) AS recalled_fen,
           COUNT_BIG(CASE WHEN s.claimed = 0 AND s.recalled = 0 THEN s.id END) AS unclaimed,
           COALESCE(SUM(CASE WHEN s.claimed = 0 AND s.recalled = 0 THEN s.moved_fen END), 0) AS unclaimed_fen
      FROM dbo.subsidy_batches AS b LEFT JOIN subsidies AS s ON s.batch_id = b.batch_id
     GROUP BY b.batch_id, b.deadline, b.memo, b.created_by)
SELECT o.batch_id, dbo.campus_time(o.deadline) AS deadline, o.memo, o.created_by,
       o.issued, o.issued_fen, dbo.to_yuan(o.issued_fen) AS issued_yuan,
       o.claimed, o.claimed_fen, dbo.to_yuan(o.claimed_fen) AS claimed_yuan,
       o.recalled, o.recalled_fen, dbo.to_yuan(o.recalled_fen) AS recalled_yuan,
       o.unclaimed, o.unclaimed_fen, dbo.to_yuan(o.unclaimed_fen) AS unclaimed_yuan
  FROM totals AS o;
GO

-- Each cardholder's card now: state, freeze reason, balances; the card office's lists filter it (frozen, overdrawn,
-- lost, offline records flagged).
CREATE VIEW dbo.cardholder_states AS
WITH newest AS (
    SELECT r.holder_id, r.holder_after
      FROM (SELECT holder_id, holder_after, ROW_NUMBER() OVER (PARTITION BY holder_id ORDER BY id DESC) AS n
              FROM dbo.transactions WHERE holder_after IS NOT NULL) AS r
     WHERE r.n = 1)
SELECT h.person_no, h.name,
       dbo.code_name(N'card_type', h.card_type) AS card_type,
       CASE WHEN dbo.holder_field(n.holder_after, N'closed') = 1 THEN N'closed'
            WHEN dbo.holder_field(n.holder_after, N'lost') = 1 THEN N'lost'
            WHEN dbo.holder_field(n.holder_after, N'freeze') <> 0 THEN N'frozen'
            ELSE N'active' END AS state,
       dbo.code_name(N'freeze_reason', CAST(dbo.holder_field(n.holder_after, N'freeze') AS smallint)) AS freeze_reason,
       COALESCE(b.purse, 0) AS purse_fen,
       dbo.to_yuan(COALESCE(b.purse, 0)) AS purse_yuan,
       COALESCE(b.wallet, 0) AS wallet_fen,
       dbo.to_yuan(COALESCE(b.wallet, 0)) AS wallet_yuan,
       COALESCE(b.pending, 0) AS pending_fen,
       dbo.to_yuan(COALESCE(b.pending, 0)) AS pending_yuan,
       COALESCE(b.held, 0) AS held_fen,
       dbo.to_yuan(COALESCE(b.held, 0)) AS held_yuan,
       CAST(CASE WHEN COALESCE(b.purse, 0) < 0 THEN 1 ELSE 0 END AS bit) AS overdrawn,
       (SELECT COUNT_BIG(*) FROM dbo.transactions AS o WHERE o.holder_id = h.id AND o.kind = 25 AND o.effect IN (6, 7, 8)) AS flagged_offline_records
  FROM dbo.holders AS h
  JOIN newest AS n ON n.holder_id = h.id
  LEFT JOIN (SELECT owner,
                    SUM(CASE WHEN kind = 1 THEN balance_fen END) AS purse,
                    SUM(CASE WHEN kind = 2 THEN balance_fen END) AS wallet,
                    SUM(CASE WHEN kind = 3 THEN balance_fen END) AS pending,
                    SUM(CASE WHEN kind = 6 THEN balance_fen END) AS held
               FROM dbo.account_balances WHERE kind IN (1, 2, 3, 6) GROUP BY owner) AS b ON b.owner = h.id;
GO

-- Who did what: every decision with the caller's role and subject, and whom it was for.
CREATE VIEW dbo.audit AS
SELECT dbo.campus_time(t.decided_at) AS decided_at, dbo.code_name(N'caller_role', t.caller_role) AS caller_role, t.caller,
       NULLIF(t.terminal_id, N'') AS terminal_id, dbo.code_name(N'transaction_kind', t.kind) AS kind,
       dbo.code_name(N'outcome', t.outcome) AS outcome, h.person_no, t.moved_fen, dbo.to_yuan(t.moved_fen) AS moved_yuan,
       t.request_id, t.id
  FROM dbo.transactions AS t LEFT JOIN dbo.holders AS h ON h.id = t.holder_id;
GO
