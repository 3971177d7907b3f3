-- SqlServerJournal.OpenAutoTopUpsAsync: auto top-up requests opened in (@after_id, @through_id] that no quota top-up
-- (3) answered (one for another amount, declined 44 AUTO_TOP_UP_AMOUNT_DIFFERS, leaves it open), in the order they were opened, at most @max (the provider drops the expired ones, from holder_after); each with its holder's campus.
SELECT TOP (@max) t.id, h.person_no, t.auto_topup_fen, t.purse_after_fen, t.decided_at, t.holder_after, h.campus_no
  FROM dbo.transactions AS t
  JOIN dbo.holders AS h ON h.id = t.holder_id
 WHERE t.auto_topup_fen > 0 AND t.id > @after_id AND t.id <= @through_id
   AND NOT EXISTS (SELECT 1 FROM dbo.transactions AS a WHERE a.kind = 3 AND a.ref > 0 AND a.ref = t.id AND a.holder_id = t.holder_id AND a.reason <> 44)
 ORDER BY t.id;
