-- SqlServerJournal.SnapshotAsync: the holders of the partition whose slots are @slots (dbo.bigint_list), each with its
-- newest state (holder_after), the balances after its newest transaction (the index transactions_holder finds it: nothing
-- of the holder's history is summed) and the day's spend (the day's approved debits and settled holds, less the refunds of
-- the day's debits) from its rows since @day_began, which no row of day @day precedes (transactions_holder_time). A holder
-- without a decided state is left out unless it has a legacy card. Each with its campus and the day of its spend (last):
-- its campus's business day in @campus_days (dbo.campus_days), else @day; @day_began is the earliest day's.
SELECT h.id, h.person_no, h.card_type, h.legacy_card, s.holder_after,
       COALESCE(n.purse_after_fen, 0) AS purse, COALESCE(n.wallet_after_fen, 0) AS wallet, COALESCE(n.pending_after_fen, 0) AS pending,
       COALESCE(d.spent, 0) AS spent, COALESCE(n.held_after_fen, 0) AS held, h.campus_no, hd.day
  FROM dbo.holders AS h
 CROSS APPLY (SELECT COALESCE((SELECT c.day FROM @campus_days AS c WHERE c.campus_no = h.campus_no), @day) AS day) AS hd
 OUTER APPLY (SELECT TOP (1) x.holder_after FROM dbo.transactions AS x WHERE x.holder_id = h.id AND x.holder_after IS NOT NULL ORDER BY x.id DESC) AS s
 OUTER APPLY (SELECT TOP (1) y.purse_after_fen, y.wallet_after_fen, y.pending_after_fen, y.held_after_fen
                FROM dbo.transactions AS y WHERE y.holder_id = h.id ORDER BY y.id DESC) AS n
 OUTER APPLY (SELECT SUM(CASE WHEN t.kind IN (1, 27) THEN t.moved_fen ELSE -t.moved_fen END) AS spent
                FROM dbo.transactions AS t
               WHERE t.holder_id = h.id AND t.decided_at >= @day_began AND t.business_day = hd.day AND t.outcome = 1
                 AND (t.kind IN (1, 27) OR (t.kind = 2 AND t.effect = 1 AND EXISTS (
                      SELECT 1 FROM dbo.transactions AS o
                       WHERE o.scope = t.scope AND o.request_id = t.original_request_id
                         AND o.kind = 1 AND o.outcome = 1 AND o.business_day = hd.day)))) AS d
 WHERE h.partition_slot IN (SELECT value FROM @slots) AND (s.holder_after IS NOT NULL OR h.legacy_card IS NOT NULL)
 ORDER BY h.id;
