-- SqlServerJournal.SnapshotAsync: the transactions of the idempotency window that belong to partition @partition of
-- @count: under their holder (a card issued since names one), else under their scope (a card nobody holds, an unknown
-- person, a merchant), as the engine looks for them now.
SELECT id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
       pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source,
       direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller,
       card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen,
       held_after_fen, ref, occurred_at, deadline, auto_topup_fen
  FROM dbo.transactions
 WHERE decided_at >= @since
   AND COALESCE((SELECT h.partition_hash FROM dbo.holders AS h WHERE h.id = transactions.holder_id),
                (SELECT ch.partition_hash FROM dbo.cards AS c JOIN dbo.holders AS ch ON ch.id = c.holder_id
                  WHERE transactions.scope LIKE N'c:%' AND c.card_no = SUBSTRING(transactions.scope, 3, 200)),
                dbo.partition_hash(transactions.scope)) % @count = @partition
 ORDER BY id;
