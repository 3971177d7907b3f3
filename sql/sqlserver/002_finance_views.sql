-- SQL Server 2019 (T-SQL): the journal's views and functions, as sql/postgres/004..011 leave them. Finance in plain
-- SQL (docs/finance.md has a question and a query for each): the postings and balances, the journal with names,
-- balances by account kind, the float owed to cardholders against bank clearing, daily totals, a merchant's day,
-- fees, refunds payable, subsidy batches, cards that need the card office, any account's balance at a past time, and
-- who did what. Codes are shown by name from codes; a holder's newest state is read from its holder_after.
--
-- Differences from the PostgreSQL text, not in the columns: FILTER (WHERE ...) is SUM/COUNT over CASE; DISTINCT ON is
-- ROW_NUMBER(); date '1970-01-01' + day is DATEADD; counts are COUNT_BIG (bigint, as PostgreSQL's count); a boolean
-- column is bit; journal_find takes a table-valued parameter instead of two arrays.

-- A field of a stored holder state (transactions.holder_after): little-endian 64-bit integers after a version byte.
-- CAST(binary(8) AS bigint) reads big-endian, so the eight bytes are reversed first.
CREATE FUNCTION dbo.holder_field(@state varbinary(2000), @field nvarchar(64)) RETURNS bigint
AS
BEGIN
    DECLARE @position int = (SELECT f.position FROM dbo.holder_fields AS f
                              WHERE f.version = CAST(SUBSTRING(@state, 1, 1) AS tinyint) AND f.name = @field);
    IF @position IS NULL RETURN NULL;
    DECLARE @le binary(8) = SUBSTRING(@state, 2 + 8 * @position, 8);
    RETURN CAST(SUBSTRING(@le, 8, 1) + SUBSTRING(@le, 7, 1) + SUBSTRING(@le, 6, 1) + SUBSTRING(@le, 5, 1)
              + SUBSTRING(@le, 4, 1) + SUBSTRING(@le, 3, 1) + SUBSTRING(@le, 2, 1) + SUBSTRING(@le, 1, 1) AS bigint);
END;
GO

CREATE FUNCTION dbo.code_name(@code_type nvarchar(64), @code smallint) RETURNS nvarchar(200)
AS
BEGIN
    RETURN (SELECT c.name FROM dbo.codes AS c WHERE c.type = @code_type AND c.code = @code);
END;
GO

-- Every leg of every transaction, as the postings table of PostgreSQL migration 001 had them.
CREATE VIEW dbo.postings AS
SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen
  FROM dbo.transactions WHERE from_kind IS NOT NULL
UNION ALL
SELECT id, to_kind, to_owner, moved_fen
  FROM dbo.transactions WHERE to_kind IS NOT NULL
UNION ALL
SELECT id, side_from_kind, side_from_owner, -side_fen
  FROM dbo.transactions WHERE side_from_kind IS NOT NULL
UNION ALL
SELECT id, side_to_kind, side_to_owner, side_fen
  FROM dbo.transactions WHERE side_to_kind IS NOT NULL;
GO

-- Balances are derived from the legs, never stored beside them.
CREATE VIEW dbo.account_balances AS
SELECT account_kind AS kind, account_owner AS owner, SUM(amount_fen) AS balance_fen
  FROM dbo.postings GROUP BY account_kind, account_owner;
GO

-- Finance's trial balance: one row per account kind; the total of all rows is zero.
CREATE VIEW dbo.trial_balance AS
SELECT kind, COUNT_BIG(*) AS accounts, SUM(balance_fen) AS balance_fen
  FROM dbo.account_balances GROUP BY kind;
GO

-- The keys journal_find looks up: the caller's (scope, request id) pairs.
CREATE TYPE dbo.request_keys AS TABLE (
    scope       nvarchar(64)  NOT NULL,
    request_id  nvarchar(128) NOT NULL
);
GO

-- The transactions of the given requests, and those acting on them (a reversal's debit, a settle's or release's hold,
-- a refund's payment, a recall's subsidy), by the indexes transactions_scope_request and
-- transactions_acting_on_originals.
CREATE FUNCTION dbo.journal_find(@keys dbo.request_keys READONLY) RETURNS TABLE
AS
RETURN
    SELECT t.* FROM @keys AS k
      JOIN dbo.transactions AS t ON t.scope = k.scope AND t.request_id = k.request_id
    UNION ALL
    SELECT t.* FROM @keys AS k
      JOIN dbo.transactions AS t ON t.kind IN (2, 19, 24, 27, 28) AND t.scope = k.scope AND t.original_request_id = k.request_id;
GO

-- Every transaction, approved or declined, with names.
CREATE VIEW dbo.journal AS
SELECT t.id,
       t.decided_at,
       DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
       dbo.code_name(N'transaction_kind', t.kind) AS kind,
       dbo.code_name(N'outcome', t.outcome) AS outcome,
       dbo.code_name(N'decline_reason', t.reason) AS decline_reason,
       dbo.code_name(N'effect', t.effect) AS effect,
       t.amount_fen,
       t.moved_fen,
       t.side_fen,
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
       t.wallet_after_fen,
       t.pending_after_fen,
       t.held_after_fen,
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
       COALESCE(b.balance_fen, 0) AS balance_fen
  FROM dbo.accounts AS a
  LEFT JOIN dbo.account_balances AS b ON b.kind = a.kind AND b.owner = a.owner;
GO

-- The trial balance by account kind, named; its balances sum to zero.
CREATE VIEW dbo.trial_balance_by_kind AS
SELECT t.kind, dbo.code_name(N'account_kind', t.kind) AS kind_name, t.accounts, t.balance_fen
  FROM dbo.trial_balance AS t;
GO

-- What the campus owes cardholders (purses, e-wallets, pending amounts, open holds) against the bank clearing account;
-- the rest is merchants' takings not yet settled, fees, refunds payable, the subsidy fund and suspense.
CREATE VIEW dbo.cardholder_float AS
SELECT COALESCE(SUM(CASE WHEN kind IN (1, 2, 3, 6) THEN balance_fen END), 0) AS owed_to_cardholders_fen,
       COALESCE(SUM(CASE WHEN kind = 1 THEN balance_fen END), 0) AS purses_fen,
       COALESCE(SUM(CASE WHEN kind = 2 THEN balance_fen END), 0) AS wallets_fen,
       COALESCE(SUM(CASE WHEN kind = 3 THEN balance_fen END), 0) AS pending_fen,
       COALESCE(SUM(CASE WHEN kind = 6 THEN balance_fen END), 0) AS holds_fen,
       COALESCE(SUM(CASE WHEN kind = 4 THEN balance_fen END), 0) AS merchants_unsettled_fen,
       -COALESCE(SUM(CASE WHEN kind = 5 AND owner = 1 THEN balance_fen END), 0) AS bank_clearing_fen,
       COALESCE(SUM(CASE WHEN kind = 5 AND owner <> 1 THEN balance_fen END), 0) AS other_system_fen
  FROM dbo.account_balances;
GO

-- Money in per business day and channel: quota top-ups (per channel), e-wallet top-ups, credits (per source).
CREATE VIEW dbo.daily_funding AS
SELECT f.business_date, f.kind, f.channel, COUNT_BIG(*) AS transactions, SUM(f.moved_fen) AS amount_fen
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
SELECT m.merchant_id,
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
 GROUP BY m.merchant_id, m.name, m.category, t.business_day;
GO

-- Settlements: per merchant and business day settled, what moved merchant -> bank clearing, when, by whom.
CREATE VIEW dbo.settlements AS
SELECT m.merchant_id, m.name AS merchant_name, DATEADD(day, CAST(t.ref AS int), CAST('1970-01-01' AS date)) AS business_date,
       t.moved_fen AS settled_fen, t.decided_at AS settled_at, dbo.code_name(N'caller_role', t.caller_role) AS caller_role,
       t.caller, t.id AS transaction_id
  FROM dbo.transactions AS t JOIN dbo.merchants AS m ON m.no = t.merchant_no
 WHERE t.kind = 29 AND t.outcome = 1;
GO

-- Fees and other income per business day.
CREATE VIEW dbo.fee_income AS
SELECT f.business_date, f.kind, COUNT_BIG(*) AS transactions, SUM(f.moved_fen) AS amount_fen
  FROM (SELECT DATEADD(day, t.business_day, CAST('1970-01-01' AS date)) AS business_date,
               dbo.code_name(N'transaction_kind', t.kind) AS kind,
               t.moved_fen
          FROM dbo.transactions AS t
         WHERE t.outcome = 1 AND t.to_kind = 5 AND t.to_owner = 3) AS f
 GROUP BY f.business_date, f.kind;
GO

-- Closed accounts' purses refunded to refunds payable, per cardholder.
CREATE VIEW dbo.refunds_payable AS
SELECT h.person_no, h.name, t.decided_at AS closed_at, t.moved_fen AS refund_fen
  FROM dbo.transactions AS t JOIN dbo.holders AS h ON h.id = t.holder_id
 WHERE t.kind = 13 AND t.outcome = 1 AND t.moved_fen > 0;
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
     WHERE s.kind = 18 AND s.outcome = 1)
SELECT b.batch_id, b.deadline, b.memo, b.created_by,
       COUNT_BIG(s.id) AS issued, COALESCE(SUM(s.moved_fen), 0) AS issued_fen,
       COUNT_BIG(CASE WHEN s.claimed = 1 AND s.recalled = 0 THEN s.id END) AS claimed,
       COALESCE(SUM(CASE WHEN s.claimed = 1 AND s.recalled = 0 THEN s.moved_fen END), 0) AS claimed_fen,
       COUNT_BIG(CASE WHEN s.recalled = 1 THEN s.id END) AS recalled,
       COALESCE(SUM(CASE WHEN s.recalled = 1 THEN s.moved_fen END), 0) AS recalled_fen,
       COUNT_BIG(CASE WHEN s.claimed = 0 AND s.recalled = 0 THEN s.id END) AS unclaimed,
       COALESCE(SUM(CASE WHEN s.claimed = 0 AND s.recalled = 0 THEN s.moved_fen END), 0) AS unclaimed_fen
  FROM dbo.subsidy_batches AS b LEFT JOIN subsidies AS s ON s.batch_id = b.batch_id
 GROUP BY b.batch_id, b.deadline, b.memo, b.created_by;
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
       COALESCE(b.wallet, 0) AS wallet_fen,
       COALESCE(b.pending, 0) AS pending_fen,
       COALESCE(b.held, 0) AS held_fen,
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

-- Any account's balance as of a past instant: the legs of everything decided up to it.
CREATE FUNCTION dbo.account_balance_at(@account_kind smallint, @account_owner bigint, @at datetimeoffset(6)) RETURNS bigint
AS
BEGIN
    RETURN (SELECT COALESCE(SUM(p.amount_fen), 0)
              FROM dbo.postings AS p JOIN dbo.transactions AS t ON t.id = p.transaction_id
             WHERE p.account_kind = @account_kind AND p.account_owner = @account_owner AND t.decided_at <= @at);
END;
GO

-- Who did what: every decision with the caller's role and subject, and whom it was for.
CREATE VIEW dbo.audit AS
SELECT t.decided_at, dbo.code_name(N'caller_role', t.caller_role) AS caller_role, t.caller, NULLIF(t.terminal_id, N'') AS terminal_id,
       dbo.code_name(N'transaction_kind', t.kind) AS kind, dbo.code_name(N'outcome', t.outcome) AS outcome, h.person_no, t.moved_fen,
       t.request_id, t.id
  FROM dbo.transactions AS t LEFT JOIN dbo.holders AS h ON h.id = t.holder_id;
GO
