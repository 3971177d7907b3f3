-- SQL Server 2019 (T-SQL): sql/postgres/019, campus groups (校区通用; handbook Q&A 5; docs/campuses.md): the terminals of
-- the campuses of one card group take each other's cards. Such a sale is one transaction of the terminal's campus
-- (campus_no) whose holder is of another campus (holder_campus_no; 0 when the holder is the transaction's campus's).
--
-- Differences from the PostgreSQL text, not in the columns: the security policy's predicate on transactions is replaced
-- by one of two campuses (PostgreSQL: the policy is altered); journal_find is refreshed and the batch's table type made
-- again with holder_campus_no last, as 007 did for campus_no; the views are altered (ALTER VIEW keeps their grants).
ALTER TABLE dbo.transactions ADD holder_campus_no smallint NOT NULL CONSTRAINT transactions_holder_campus_no_default DEFAULT 0;
GO

-- journal_find returns t.*: a function's columns are fixed when it is created, so it learns of holder_campus_no here.
EXEC sys.sp_refreshsqlmodule N'dbo.journal_find';
GO

-- A batch of decided transactions, in the column order of TransactionRow.Columns, which ends with holder_campus_no now.
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
    campus_no            smallint          NOT NULL,
    holder_campus_no     smallint          NOT NULL
);
GO

-- The finance views read a crossing's rows by this index, which the rows of one campus never enter.
CREATE INDEX transactions_campus_crossing ON dbo.transactions (id) WHERE holder_campus_no <> 0;
GO

-- Each transaction whose holder is of another campus and whose cardholder's legs (kinds 1, 2, 3, 6) move money, with
-- what they sum to.
CREATE VIEW dbo.campus_crossings AS
SELECT t.id, t.campus_no, t.holder_campus_no, t.cardholders_fen
  FROM (SELECT id, campus_no, holder_campus_no,
               CASE WHEN from_kind IN (1, 2, 3, 6) THEN -moved_fen ELSE 0 END
             + CASE WHEN to_kind IN (1, 2, 3, 6) THEN moved_fen ELSE 0 END
             + CASE WHEN side_from_kind IN (1, 2, 3, 6) THEN -side_fen ELSE 0 END
             + CASE WHEN side_to_kind IN (1, 2, 3, 6) THEN side_fen ELSE 0 END AS cardholders_fen
          FROM dbo.transactions
         WHERE holder_campus_no <> 0) AS t
 WHERE t.cardholders_fen <> 0;
GO

-- Each campus's books balance on their own: the cardholder's legs are the holder's campus's, the others the
-- transaction's, and a pair of campus clearing accounts (校区往来, kind 7, owner the other campus's number) balances each
-- side: +what the cardholder paid in the holder's campus (it owes the merchant's), -that in the merchant's (it is owed).
-- A campus's finance login reads both campuses' legs of such a row but is shown its own campus's only.
ALTER VIEW dbo.postings AS
SELECT p.transaction_id, p.account_kind, p.account_owner, p.amount_fen, p.campus_no
  FROM (
    SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen,
           CASE WHEN holder_campus_no <> 0 AND from_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END AS campus_no
      FROM dbo.transactions WHERE from_kind IS NOT NULL
    UNION ALL
    SELECT id, to_kind, to_owner, moved_fen,
           CASE WHEN holder_campus_no <> 0 AND to_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END
      FROM dbo.transactions WHERE to_kind IS NOT NULL
    UNION ALL
    SELECT id, side_from_kind, side_from_owner, -side_fen,
           CASE WHEN holder_campus_no <> 0 AND side_from_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END
      FROM dbo.transactions WHERE side_from_kind IS NOT NULL
    UNION ALL
    SELECT id, side_to_kind, side_to_owner, side_fen,
           CASE WHEN holder_campus_no <> 0 AND side_to_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END
      FROM dbo.transactions WHERE side_to_kind IS NOT NULL
    UNION ALL
    SELECT c.id, CAST(7 AS smallint), CAST(c.campus_no AS bigint), -c.cardholders_fen, c.holder_campus_no
      FROM dbo.campus_crossings AS c
    UNION ALL
    SELECT c.id, CAST(7 AS smallint), CAST(c.holder_campus_no AS bigint), c.cardholders_fen, c.campus_no
      FROM dbo.campus_crossings AS c) AS p
 WHERE COALESCE(dbo.current_campus(), 0) IN (0, p.campus_no);
GO

-- A row of either of two campuses: a transaction passes for a login of its campus and of its holder's.
CREATE FUNCTION dbo.campus_rows_of_two(@campus_no smallint, @holder_campus_no smallint) RETURNS TABLE
WITH SCHEMABINDING
AS
RETURN
    SELECT 1 AS visible
     WHERE COALESCE(IS_MEMBER(N'finance_reader'), 0) = 0
        OR EXISTS (SELECT 1 FROM dbo.finance_logins AS f
                    WHERE f.login = USER_NAME()
                      AND (f.campus_no IS NULL OR f.campus_no = @campus_no OR f.campus_no = @holder_campus_no OR @campus_no = 0));
GO

ALTER SECURITY POLICY dbo.campus_rows_policy
    DROP FILTER PREDICATE ON dbo.transactions,
    ADD FILTER PREDICATE dbo.campus_rows_of_two(campus_no, holder_campus_no) ON dbo.transactions;
GO

-- Each campus's business day (PostgreSQL: two arrays, unnest(@campuses, @days)): a rebuild reads a holder's day spend of
-- its own campus's day (journal_partition_holders, journal_holder_states); a campus not listed is on @day.
CREATE TYPE dbo.campus_days AS TABLE (
    campus_no  smallint NOT NULL PRIMARY KEY,
    day        int      NOT NULL
);
GO
