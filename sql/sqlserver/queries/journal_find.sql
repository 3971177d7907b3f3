-- SqlServerJournal.FindAsync: the transactions of the (scope, request id) pairs in @keys (dbo.request_keys) and those
-- acting on them; the provider keeps each once, in id order.
SELECT id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
       pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source,
       direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller,
       card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen,
       held_after_fen, ref, occurred_at, deadline, auto_topup_fen, campus_no, holder_campus_no
  FROM dbo.journal_find(@keys);
