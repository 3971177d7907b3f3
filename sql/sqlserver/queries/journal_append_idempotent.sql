-- SqlServerJournal.AppendAsync after a key violation: stores what is missing of @rows, in one transaction. A row
-- stored under the same id must be the same decision; a row under a (scope, request id) the journal holds with another
-- id is a second transaction for one request: neither is stored and its id is returned (the provider throws
-- JournalConflictException). The locks (UPDLOCK, HOLDLOCK) keep a concurrent replay from inserting between check and insert.
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @conflict bigint = (
    SELECT TOP (1) c.id
      FROM (SELECT s.id FROM @rows AS s
              JOIN dbo.transactions AS t WITH (UPDLOCK, HOLDLOCK) ON t.id = s.id
             WHERE t.scope <> s.scope OR t.request_id <> s.request_id OR t.outcome <> s.outcome OR t.moved_fen <> s.moved_fen
            UNION ALL
            SELECT s.id FROM @rows AS s
              JOIN dbo.transactions AS t WITH (UPDLOCK, HOLDLOCK) ON t.scope = s.scope AND t.request_id = s.request_id
             WHERE t.id <> s.id) AS c);
IF @conflict IS NULL
    INSERT INTO dbo.transactions (
           id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
       pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source,
       direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller,
       card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen,
       held_after_fen, ref, occurred_at, deadline, auto_topup_fen, campus_no, holder_campus_no)
    SELECT id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
       pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source,
       direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller,
       card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen,
       held_after_fen, ref, occurred_at, deadline, auto_topup_fen, campus_no, holder_campus_no
      FROM @rows AS s
     WHERE NOT EXISTS (SELECT 1 FROM dbo.transactions AS t WITH (UPDLOCK, HOLDLOCK) WHERE t.id = s.id)
     ORDER BY s.id;
COMMIT TRANSACTION;
SELECT @conflict AS conflict;
