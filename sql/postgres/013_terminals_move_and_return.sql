-- A terminal may move to another merchant, and a revoked terminal id may be registered again (the card office's
-- Cards.RegisterTerminal). The tokens a terminal had before such a change stay refused: a call's token must have been
-- issued at or after tokens_from (null for a terminal registered once and never moved or revoked, whose tokens may
-- predate its registration: the README's order is token first, registration second).
ALTER TABLE terminals ADD COLUMN tokens_from timestamptz;

-- A card may be frozen for several reasons at once: from holder format 6 on, the holder's freeze field is the set of
-- them, bit (reason - 1) each (Domain/FreezeReasons.cs); formats 4 and 5 kept one reason's code. Their names, in code
-- order, joined by ', '.
CREATE FUNCTION freeze_reasons(state bytea) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN get_byte(state, 0) >= 6
                THEN (SELECT string_agg(c.name, ', ' ORDER BY c.code) FROM codes c
                       WHERE c.type = 'freeze_reason' AND c.code > 0 AND (holder_field(state, 'freeze') >> (c.code - 1)) & 1 = 1)
                ELSE code_name('freeze_reason', holder_field(state, 'freeze')::smallint) END
$$;

-- cardholder_states as migration 012 made it, its freeze_reason the first of the reasons, and every reason at the end.
CREATE OR REPLACE VIEW cardholder_states AS
WITH newest AS (
    SELECT DISTINCT ON (holder_id) holder_id, holder_after FROM transactions WHERE holder_after IS NOT NULL ORDER BY holder_id, id DESC)
SELECT h.person_no, h.name,
       code_name('card_type', h.card_type) AS card_type,
       CASE WHEN holder_field(n.holder_after, 'closed') = 1 THEN 'closed'
            WHEN holder_field(n.holder_after, 'lost') = 1 THEN 'lost'
            WHEN holder_field(n.holder_after, 'freeze') <> 0 THEN 'frozen'
            ELSE 'active' END AS state,
       split_part(freeze_reasons(n.holder_after), ', ', 1) AS freeze_reason,
       coalesce(b.purse, 0) AS purse_fen,
       to_yuan(coalesce(b.purse, 0)) AS purse_yuan,
       coalesce(b.wallet, 0) AS wallet_fen,
       to_yuan(coalesce(b.wallet, 0)) AS wallet_yuan,
       coalesce(b.pending, 0) AS pending_fen,
       to_yuan(coalesce(b.pending, 0)) AS pending_yuan,
       coalesce(b.held, 0) AS held_fen,
       to_yuan(coalesce(b.held, 0)) AS held_yuan,
       coalesce(b.purse, 0) < 0 AS overdrawn,
       (SELECT count(*) FROM transactions o WHERE o.holder_id = h.id AND o.kind = 25 AND o.effect IN (6, 7, 8)) AS flagged_offline_records,
       freeze_reasons(n.holder_after) AS freeze_reasons
  FROM holders h
  JOIN newest n ON n.holder_id = h.id
  LEFT JOIN (SELECT owner,
                    sum(balance_fen) FILTER (WHERE kind = 1) AS purse,
                    sum(balance_fen) FILTER (WHERE kind = 2) AS wallet,
                    sum(balance_fen) FILTER (WHERE kind = 3) AS pending,
                    sum(balance_fen) FILTER (WHERE kind = 6) AS held
               FROM account_balances WHERE kind IN (1, 2, 3, 6) GROUP BY owner) b ON b.owner = h.id;

-- Offline records older than the campus books (Cards:OfflineMaxAge), declined OFFLINE_RECORD_TOO_OLD and not booked:
-- the card office's list, to settle with the terminal's merchant and the cardholder by hand.
CREATE VIEW offline_records_refused AS
SELECT campus_time(t.decided_at) AS uploaded_at, campus_time(t.occurred_at) AS occurred_at, t.terminal_id, t.ref AS terminal_seq,
       m.merchant_id, m.name AS merchant_name, substr(t.scope, 3) AS card_no, h.person_no, h.name AS holder_name,
       t.amount_fen, to_yuan(t.amount_fen) AS amount_yuan, t.id AS transaction_id
  FROM transactions t
  LEFT JOIN merchants m ON m.merchant_id = t.merchant_id
  LEFT JOIN holders h ON h.id = t.holder_id
 WHERE t.kind = 25 AND t.outcome = 2 AND t.reason = 43;
