-- SqlServerJournal.SnapshotAsync: the transactions of the idempotency window that belong to partition @partition of
-- @count: under their holder (a card issued since names one), else under their scope (a card nobody holds, an unknown
-- person, a merchant), as the engine looks for them now.
SELECT t.id, t.holder_id, t.scope, t.request_id, t.kind, t.outcome, t.reason, t.effect, t.amount_fen, t.moved_fen, t.purse_after_fen, t.wallet_after_fen,
       t.pending_after_fen, t.fingerprint, t.terminal_id, t.merchant_id, t.merchant_no, t.original_request_id, t.source,
       t.direction, t.channel, t.memo, t.business_day, t.decided_at, t.from_kind, t.from_owner, t.to_kind, t.to_owner, t.caller_role, t.caller,
       t.card_no, t.code, t.flag, t.limit_fen, t.pin, t.card_state, t.holder_after, t.side_from_kind, t.side_from_owner, t.side_to_kind, t.side_to_owner, t.side_fen,
       t.held_after_fen, t.ref, t.occurred_at, t.deadline, t.auto_topup_fen
  FROM dbo.transactions AS t
 WHERE t.decided_at >= @since
   AND COALESCE((SELECT h.partition_hash FROM dbo.holders AS h WHERE h.id = t.holder_id),
                (SELECT ch.partition_hash FROM dbo.cards AS c JOIN dbo.holders AS ch ON ch.id = c.holder_id
                  WHERE t.scope LIKE N'c:%' AND c.card_no = SUBSTRING(t.scope, 3, 200)),
                dbo.partition_hash(t.scope)) % @count = @partition
 ORDER BY t.id;
