-- SqlServerJournal.StatementAsync: the holder's transactions that moved money on its accounts (1 purse, 2 e-wallet,
-- 3 pending, 6 holds) in business days [@from_day, @to_day] with ids below @before_id, newest first, at most @max:
-- what each did to each account, and the balances after. The account legs' indexes find them.
WITH ids AS (
    SELECT id FROM dbo.transactions
     WHERE from_kind IN (1, 2, 3, 6) AND from_owner = @holder_id AND business_day BETWEEN @from_day AND @to_day AND id < @before_id
    UNION
    SELECT id FROM dbo.transactions
     WHERE to_kind IN (1, 2, 3, 6) AND to_owner = @holder_id AND business_day BETWEEN @from_day AND @to_day AND id < @before_id)
SELECT TOP (@max) t.id, t.decided_at, t.kind, t.effect,
       (CASE WHEN t.to_kind = 1 AND t.to_owner = @holder_id THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.from_kind = 1 AND t.from_owner = @holder_id THEN t.moved_fen ELSE 0 END)
         + (CASE WHEN t.side_to_kind = 1 AND t.side_to_owner = @holder_id THEN t.side_fen ELSE 0 END) - (CASE WHEN t.side_from_kind = 1 AND t.side_from_owner = @holder_id THEN t.side_fen ELSE 0 END) AS purse_change_fen,
       (CASE WHEN t.to_kind = 2 AND t.to_owner = @holder_id THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.from_kind = 2 AND t.from_owner = @holder_id THEN t.moved_fen ELSE 0 END)
         + (CASE WHEN t.side_to_kind = 2 AND t.side_to_owner = @holder_id THEN t.side_fen ELSE 0 END) - (CASE WHEN t.side_from_kind = 2 AND t.side_from_owner = @holder_id THEN t.side_fen ELSE 0 END) AS wallet_change_fen,
       (CASE WHEN t.to_kind = 3 AND t.to_owner = @holder_id THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.from_kind = 3 AND t.from_owner = @holder_id THEN t.moved_fen ELSE 0 END)
         + (CASE WHEN t.side_to_kind = 3 AND t.side_to_owner = @holder_id THEN t.side_fen ELSE 0 END) - (CASE WHEN t.side_from_kind = 3 AND t.side_from_owner = @holder_id THEN t.side_fen ELSE 0 END) AS pending_change_fen,
       (CASE WHEN t.to_kind = 6 AND t.to_owner = @holder_id THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.from_kind = 6 AND t.from_owner = @holder_id THEN t.moved_fen ELSE 0 END)
         + (CASE WHEN t.side_to_kind = 6 AND t.side_to_owner = @holder_id THEN t.side_fen ELSE 0 END) - (CASE WHEN t.side_from_kind = 6 AND t.side_from_owner = @holder_id THEN t.side_fen ELSE 0 END) AS held_change_fen,
       COALESCE(m.merchant_id, N'') AS merchant_id, COALESCE(m.name, N'') AS merchant_name, COALESCE(m.category, CAST(0 AS smallint)) AS category,
       t.purse_after_fen, t.wallet_after_fen, t.pending_after_fen, t.held_after_fen, t.memo
  FROM ids
  JOIN dbo.transactions AS t ON t.id = ids.id
  LEFT JOIN dbo.merchants AS m ON m.no = t.merchant_no
 ORDER BY t.id DESC;
