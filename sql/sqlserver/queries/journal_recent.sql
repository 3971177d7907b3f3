-- SqlServerJournal.SnapshotAsync: the transactions since @since that belong to the partition whose slots are @slots
-- (dbo.bigint_list): under their holder (a card issued since names one), else under their scope (a card nobody holds, an
-- unknown person, a merchant; a card's number within its campus), as the engine looks for them now. The partition's holders' rows and nobody's (holder 0,
-- few) are read by holder and time (transactions_holder_time); a scope's slot is its hash modulo 1024 (Partitioning.Slots).
SELECT id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
       pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source,
       direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller,
       card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen,
       held_after_fen, ref, occurred_at, deadline, auto_topup_fen, campus_no, holder_campus_no
  FROM dbo.transactions
 WHERE holder_id IN (SELECT h.id FROM dbo.holders AS h WHERE h.partition_slot IN (SELECT value FROM @slots)) AND decided_at >= @since
UNION ALL
SELECT id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
       pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source,
       direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller,
       card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen,
       held_after_fen, ref, occurred_at, deadline, auto_topup_fen, campus_no, holder_campus_no
  FROM dbo.transactions AS t
 WHERE t.holder_id = 0 AND t.decided_at >= @since
   AND COALESCE((SELECT ch.partition_slot FROM dbo.cards AS c JOIN dbo.holders AS ch ON ch.id = c.holder_id
                  WHERE (t.scope LIKE N'c:%' OR t.scope LIKE N'%/c:%') AND c.campus_no = t.campus_no AND c.card_no = dbo.scope_number(t.scope)),
                dbo.partition_hash(t.scope) % 1024) IN (SELECT value FROM @slots)
 ORDER BY id;
