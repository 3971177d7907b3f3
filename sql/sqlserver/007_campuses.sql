-- SQL Server 2019 (T-SQL): sql/postgres/015, campuses (校区, the tenants of a deployment). A person number, a card
-- number, a merchant, a terminal and a subsidy batch are unique within their campus: the same student number at two
-- campuses is two people. Every row of the registry and every transaction carries its campus's number.
--
-- What was here before is campus 1 ('default'). Campus 1's request scopes and hot-state tags are those of the releases
-- before campuses ('p:2021001'); another campus's carry its number ('2/p:2021001', Domain/Campuses.cs), so nothing of
-- the journal is rewritten here.
--
-- Differences from the PostgreSQL text, not in the columns: the code's rule is LIKE over a binary collation (PostgreSQL:
-- a regular expression); a column added and then read needs a batch of its own (a batch is compiled before it runs);
-- the key constraints are dropped and added by their names; journal_find (t.*) is refreshed to see the new column; the
-- table type of a batch is dropped and created again with campus_no last (no module depends on it: the provider's
-- batches are ad hoc statements); the views that read a card number out of a scope are altered to use scope_number
-- (PostgreSQL's 015 leaves its views as they are).
CREATE TABLE dbo.campuses (
    campus_no   smallint          NOT NULL CONSTRAINT campuses_pkey PRIMARY KEY
                CONSTRAINT campuses_campus_no_check CHECK (campus_no BETWEEN 1 AND 32767),
    code        nvarchar(32)      NOT NULL CONSTRAINT campuses_code_key UNIQUE
                CONSTRAINT campuses_code_check CHECK (code COLLATE Latin1_General_100_BIN2 LIKE N'[a-z0-9]%'
                                                      AND code COLLATE Latin1_General_100_BIN2 NOT LIKE N'%[^a-z0-9-]%'),
    name        nvarchar(200)     NOT NULL,
    created_at  datetimeoffset(6) NOT NULL,
    created_by  nvarchar(200)     NOT NULL
);
INSERT INTO dbo.campuses (campus_no, code, name, created_at, created_by)
VALUES (1, N'default', N'default', SYSDATETIMEOFFSET(), N'migration 007');
GO

-- An identifier as a key across campuses, as Campuses.Qualify makes it: a holder's partition tag, a request's scope.
-- Null in, null out (+ where CONCAT would read a null as empty), as PostgreSQL's STRICT function.
CREATE FUNCTION dbo.campus_key(@campus smallint, @id nvarchar(200)) RETURNS nvarchar(200)
WITH SCHEMABINDING
AS
BEGIN
    RETURN CASE WHEN @campus = 1 THEN @id ELSE CAST(@campus AS nvarchar(6)) + N'/' + @id END;
END;
GO

-- The number a request scope names, without its campus and kind ('2/c:123' and 'c:123' -> '123'): CHARINDEX is 0
-- without a slash.
CREATE FUNCTION dbo.scope_number(@scope nvarchar(64)) RETURNS nvarchar(64)
WITH SCHEMABINDING
AS
BEGIN
    RETURN SUBSTRING(@scope, CHARINDEX(N'/', @scope) + 3, 64);
END;
GO

ALTER TABLE dbo.holders ADD campus_no smallint NOT NULL CONSTRAINT holders_campus_no_default DEFAULT 1
    CONSTRAINT holders_campus_no_fkey REFERENCES dbo.campuses (campus_no);
ALTER TABLE dbo.holders DROP CONSTRAINT holders_person_no_key;
GO
ALTER TABLE dbo.holders ADD CONSTRAINT holders_campus_person_no_key UNIQUE (campus_no, person_no);

ALTER TABLE dbo.merchants ADD campus_no smallint NOT NULL CONSTRAINT merchants_campus_no_default DEFAULT 1
    CONSTRAINT merchants_campus_no_fkey REFERENCES dbo.campuses (campus_no);
ALTER TABLE dbo.merchants DROP CONSTRAINT merchants_merchant_id_key;
GO
ALTER TABLE dbo.merchants ADD CONSTRAINT merchants_campus_merchant_id_key UNIQUE (campus_no, merchant_id);

ALTER TABLE dbo.cards ADD campus_no smallint NOT NULL CONSTRAINT cards_campus_no_default DEFAULT 1
    CONSTRAINT cards_campus_no_fkey REFERENCES dbo.campuses (campus_no);
ALTER TABLE dbo.cards DROP CONSTRAINT cards_pkey;
GO
ALTER TABLE dbo.cards ADD CONSTRAINT cards_pkey PRIMARY KEY (campus_no, card_no);

ALTER TABLE dbo.terminals ADD campus_no smallint NOT NULL CONSTRAINT terminals_campus_no_default DEFAULT 1
    CONSTRAINT terminals_campus_no_fkey REFERENCES dbo.campuses (campus_no);
ALTER TABLE dbo.terminals DROP CONSTRAINT terminals_pkey;
GO
ALTER TABLE dbo.terminals ADD CONSTRAINT terminals_pkey PRIMARY KEY (campus_no, terminal_id);

ALTER TABLE dbo.subsidy_batches ADD campus_no smallint NOT NULL CONSTRAINT subsidy_batches_campus_no_default DEFAULT 1
    CONSTRAINT subsidy_batches_campus_no_fkey REFERENCES dbo.campuses (campus_no);
ALTER TABLE dbo.subsidy_batches DROP CONSTRAINT subsidy_batches_pkey;
GO
ALTER TABLE dbo.subsidy_batches ADD CONSTRAINT subsidy_batches_pkey PRIMARY KEY (campus_no, batch_id);

-- A transaction's campus: the holder's, or the merchant's for what a merchant asks for (a settlement).
ALTER TABLE dbo.transactions ADD campus_no smallint NOT NULL CONSTRAINT transactions_campus_no_default DEFAULT 1;

-- An account's campus: a holder's or a merchant's; 0 for the system accounts (bank clearing, subsidy fund, fee income,
-- refunds payable, suspense), whose chart every campus shares and whose balances a campus reads from its own
-- transactions.
ALTER TABLE dbo.accounts ADD campus_no smallint NOT NULL CONSTRAINT accounts_campus_no_default DEFAULT 1;
GO
UPDATE dbo.accounts SET campus_no = 0 WHERE kind = 5;

-- The settings SQL reads (the UTC offset of the finance views' times), per campus now.
ALTER TABLE dbo.campus_settings DROP CONSTRAINT campus_settings_id_check;
EXEC sys.sp_rename N'dbo.campus_settings.id', N'campus_no', N'COLUMN';
GO
ALTER TABLE dbo.campus_settings ADD CONSTRAINT campus_settings_campus_fkey FOREIGN KEY (campus_no) REFERENCES dbo.campuses (campus_no);
GO

ALTER FUNCTION dbo.campus_utc_offset() RETURNS nvarchar(6)
AS
BEGIN
    RETURN (SELECT s.utc_offset FROM dbo.campus_settings AS s WHERE s.campus_no = 1);
END;
GO

-- journal_find returns t.*: a function's columns are fixed when it is created, so it learns of campus_no here.
EXEC sys.sp_refreshsqlmodule N'dbo.journal_find';
GO

-- A batch of decided transactions, in the column order of TransactionRow.Columns, which ends with campus_no now.
DROP TYPE dbo.transaction_rows;
GO
CREATE TYPE dbo.transaction_rows AS TABLE (
    id                   bigint            NOT NULL,
    holder_id            bigint            NOT NULL,
    scope                nvarchar(64)      NOT NULL,
    request_id           nvarchar(128)     NOT NULL,
    kind                 smallint          NOT NULL,
    outcome              smallint          NOT NULL,
    reason               smallint          NOT NULL,
    effect               smallint          NOT NULL,
    amount_fen           bigint            NOT NULL,
    moved_fen            bigint            NOT NULL,
    purse_after_fen      bigint            NOT NULL,
    wallet_after_fen     bigint            NOT NULL,
    pending_after_fen    bigint            NOT NULL,
    fingerprint          bigint            NOT NULL,
    terminal_id          nvarchar(64)      NOT NULL,
    merchant_id          nvarchar(64)      NOT NULL,
    merchant_no          bigint            NOT NULL,
    original_request_id  nvarchar(128)     NOT NULL,
    source               smallint          NOT NULL,
    direction            smallint          NOT NULL,
    channel              nvarchar(64)      NOT NULL,
    memo                 nvarchar(400)     NOT NULL,
    business_day         int               NOT NULL,
    decided_at           datetimeoffset(6) NOT NULL,
    from_kind            smallint          NULL,
    from_owner           bigint            NULL,
    to_kind              smallint          NULL,
    to_owner             bigint            NULL,
    caller_role          smallint          NOT NULL,
    caller               nvarchar(200)     NOT NULL,
    card_no              nvarchar(64)      NOT NULL,
    code                 smallint          NOT NULL,
    flag                 bit               NOT NULL,
    limit_fen            bigint            NOT NULL,
    pin                  smallint          NOT NULL,
    card_state           smallint          NOT NULL,
    holder_after         varbinary(2000)   NULL,
    side_from_kind       smallint          NULL,
    side_from_owner      bigint            NULL,
    side_to_kind         smallint          NULL,
    side_to_owner        bigint            NULL,
    side_fen             bigint            NOT NULL,
    held_after_fen       bigint            NOT NULL,
    ref                  bigint            NOT NULL,
    occurred_at          datetimeoffset(6) NULL,
    deadline             datetimeoffset(6) NULL,
    auto_topup_fen       bigint            NOT NULL,
    campus_no            smallint          NOT NULL
);
GO

-- The views that read a card number out of a request scope, as 004 and 005 made them, with scope_number: another
-- campus's scope is '2/c:123'. An offline record's merchant is the one of its merchant id in the record's campus.
-- ALTER VIEW keeps what was granted on them (logins/finance_reader.sql).

-- Every transaction, approved or declined, with names.
ALTER VIEW dbo.journal AS
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
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id
  LEFT JOIN dbo.merchants AS m ON m.no = t.merchant_no;
GO

-- Offline records older than the campus books (Cards:OfflineMaxAge), declined OFFLINE_RECORD_TOO_OLD and not booked:
-- the card office's list, to settle with the terminal's merchant and the cardholder by hand.
ALTER VIEW dbo.offline_records_refused AS
SELECT dbo.campus_time(t.decided_at) AS uploaded_at, dbo.campus_time(t.occurred_at) AS occurred_at, t.terminal_id, t.ref AS terminal_seq,
       m.merchant_id, m.name AS merchant_name, dbo.scope_number(t.scope) AS card_no, h.person_no, h.name AS holder_name,
       t.amount_fen, dbo.to_yuan(t.amount_fen) AS amount_yuan, t.id AS transaction_id
  FROM dbo.transactions AS t
  LEFT JOIN dbo.merchants AS m ON m.campus_no = t.campus_no AND m.merchant_id = t.merchant_id
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id
 WHERE t.kind = 25 AND t.outcome = 2 AND t.reason = 43;
GO
