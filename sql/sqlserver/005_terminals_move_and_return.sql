-- A terminal may move to another merchant, and a revoked terminal id may be registered again (the card office's
-- Cards.RegisterTerminal). The tokens a terminal had before such a change stay refused: a call's token must have been
-- issued at or after tokens_from (null for a terminal registered once and never moved or revoked).
ALTER TABLE dbo.terminals ADD tokens_from datetimeoffset(6) NULL;
GO

-- A card may be frozen for several reasons at once: from holder format 6 on, the holder's freeze field is the set of
-- them, bit (reason - 1) each (Domain/FreezeReasons.cs); formats 4 and 5 kept one reason's code. Their names, in code
-- order, joined by ', '.
CREATE FUNCTION dbo.freeze_reasons(@state varbinary(2000)) RETURNS nvarchar(400)
AS
BEGIN
    DECLARE @freeze bigint = dbo.holder_field(@state, N'freeze');
    IF CAST(SUBSTRING(@state, 1, 1) AS tinyint) < 6 RETURN dbo.code_name(N'freeze_reason', CAST(@freeze AS smallint));
    RETURN (SELECT STRING_AGG(c.name, N', ') WITHIN GROUP (ORDER BY c.code) FROM dbo.codes AS c
             WHERE c.type = N'freeze_reason' AND c.code > 0 AND (@freeze & POWER(CAST(2 AS bigint), c.code - 1)) <> 0);
END;
GO

-- cardholder_states as migration 004 made it, its freeze_reason the first of the reasons, and every reason at the end.
DROP VIEW dbo.cardholder_states;
GO

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
  LEFT JOIN (SELECT owner,
                    SUM(CASE WHEN kind = 1 THEN balance_fen END) AS purse,
                    SUM(CASE WHEN kind = 2 THEN balance_fen END) AS wallet,
                    SUM(CASE WHEN kind = 3 THEN balance_fen END) AS pending,
                    SUM(CASE WHEN kind = 6 THEN balance_fen END) AS held
               FROM dbo.account_balances WHERE kind IN (1, 2, 3, 6) GROUP BY owner) AS b ON b.owner = h.id;
GO

-- Offline records older than the campus books (Cards:OfflineMaxAge), declined OFFLINE_RECORD_TOO_OLD and not booked:
-- the card office's list, to settle with the terminal's merchant and the cardholder by hand.
CREATE VIEW dbo.offline_records_refused AS
SELECT dbo.campus_time(t.decided_at) AS uploaded_at, dbo.campus_time(t.occurred_at) AS occurred_at, t.terminal_id, t.ref AS terminal_seq,
       m.merchant_id, m.name AS merchant_name, SUBSTRING(t.scope, 3, 200) AS card_no, h.person_no, h.name AS holder_name,
       t.amount_fen, dbo.to_yuan(t.amount_fen) AS amount_yuan, t.id AS transaction_id
  FROM dbo.transactions AS t
  LEFT JOIN dbo.merchants AS m ON m.merchant_id = t.merchant_id
  LEFT JOIN dbo.holders AS h ON h.id = t.holder_id
 WHERE t.kind = 25 AND t.outcome = 2 AND t.reason = 43;
