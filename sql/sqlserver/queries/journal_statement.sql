-- SqlServerJournal.StatementAsync: the holder's transactions that moved money on its accounts (1 purse, 2 e-wallet,
-- 3 pending, 6 holds) or, after 报退, on refunds payable for them (system account 4), decided in business days
-- [@first_day, @last_day] and counting on a day in [@from_day, @to_day] (an offline record on the campus day it happened:
-- @offset is the campus's UTC offset in seconds), with ids below @before_id, newest first, at most @max: what each did to
-- each account, the balances after, and when an offline record happened. The account legs' indexes find them.
WITH ids AS (
    SELECT id FROM dbo.transactions
     WHERE from_kind IN (1, 2, 3, 6) AND from_owner = @holder_id AND business_day BETWEEN @first_day AND @last_day AND id < @before_id
    UNION
    SELECT id FROM dbo.transactions
     WHERE to_kind IN (1, 2, 3, 6) AND to_owner = @holder_id AND business_day BETWEEN @first_day AND @last_day AND id < @before_id
    UNION
    SELECT id FROM dbo.transactions
     WHERE from_kind = 5 AND from_owner = 4 AND holder_id = @holder_id AND business_day BETWEEN @first_day AND @last_day AND id < @before_id
    UNION
    SELECT id FROM dbo.transactions
     WHERE to_kind = 5 AND to_owner = 4 AND holder_id = @holder_id AND business_day BETWEEN @first_day AND @last_day AND id < @before_id)
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
       t.purse_after_fen, t.wallet_after_fen, t.pending_after_fen, t.held_after_fen, t.memo,
       (CASE WHEN t.holder_id = @holder_id AND t.to_kind = 5 AND t.to_owner = 4 THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.holder_id = @holder_id AND t.from_kind = 5 AND t.from_owner = 4 THEN t.moved_fen ELSE 0 END)
         + (CASE WHEN t.holder_id = @holder_id AND t.side_to_kind = 5 AND t.side_to_owner = 4 THEN t.side_fen ELSE 0 END) - (CASE WHEN t.holder_id = @holder_id AND t.side_from_kind = 5 AND t.side_from_owner = 4 THEN t.side_fen ELSE 0 END) AS refund_change_fen,
       t.occurred_at
  FROM ids
  JOIN dbo.transactions AS t ON t.id = ids.id
  LEFT JOIN dbo.merchants AS m ON m.no = t.merchant_no
 WHERE CASE WHEN t.kind = 25 THEN CAST(FLOOR((DATEDIFF_BIG(second, '1970-01-01T00:00:00+00:00', t.occurred_at) + @offset) / 86400.0) AS int) ELSE t.business_day END BETWEEN @from_day AND @to_day
 ORDER BY t.id DESC;
