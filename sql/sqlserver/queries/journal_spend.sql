-- SqlServerJournal.SpendAsync: what the holder spent at merchants (4) per month (its first day) and merchant category
-- in business days [@from_day, @to_day], less what came back from merchants.
SELECT DATEFROMPARTS(YEAR(x.day), MONTH(x.day), 1) AS month, x.category, SUM(x.fen) AS amount_fen
  FROM (SELECT DATEADD(day, d.business_day, CAST('1970-01-01' AS date)) AS day, m.category, d.fen
          FROM (SELECT business_day, to_owner AS merchant, moved_fen AS fen FROM dbo.transactions
                 WHERE from_kind IN (1, 2, 6) AND from_owner = @holder_id AND to_kind = 4 AND business_day BETWEEN @from_day AND @to_day
                UNION ALL
                SELECT business_day, from_owner, -moved_fen FROM dbo.transactions
                 WHERE to_kind IN (1, 2) AND to_owner = @holder_id AND from_kind = 4 AND business_day BETWEEN @from_day AND @to_day) AS d
          JOIN dbo.merchants AS m ON m.no = d.merchant) AS x
 GROUP BY DATEFROMPARTS(YEAR(x.day), MONTH(x.day), 1), x.category;
