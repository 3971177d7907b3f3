-- SqlServerJournal.SpendAsync: what the holder spent at merchants (4) per month (its first day) and merchant category,
-- less what came back from merchants: from and to its accounts or, after 报退, refunds payable for them; decided in
-- business days [@first_day, @last_day] and counting on a day in [@from_day, @to_day] (an offline record on the campus day
-- it happened, @offset the campus's UTC offset in seconds).
SELECT DATEFROMPARTS(YEAR(x.day), MONTH(x.day), 1) AS month, x.category, SUM(x.fen) AS amount_fen
  FROM (SELECT DATEADD(day, d.day, CAST('1970-01-01' AS date)) AS day, m.category, d.fen
          FROM (SELECT CASE WHEN t.kind = 25 THEN CAST(FLOOR((DATEDIFF_BIG(second, '1970-01-01T00:00:00+00:00', t.occurred_at) + @offset) / 86400.0) AS int) ELSE t.business_day END AS day, t.to_owner AS merchant, t.moved_fen AS fen FROM dbo.transactions AS t
                 WHERE t.from_kind IN (1, 2, 6) AND t.from_owner = @holder_id AND t.to_kind = 4 AND t.business_day BETWEEN @first_day AND @last_day
                UNION ALL
                SELECT t.business_day, t.from_owner, -t.moved_fen FROM dbo.transactions AS t
                 WHERE t.to_kind IN (1, 2) AND t.to_owner = @holder_id AND t.from_kind = 4 AND t.business_day BETWEEN @first_day AND @last_day
                UNION ALL
                SELECT CASE WHEN t.kind = 25 THEN CAST(FLOOR((DATEDIFF_BIG(second, '1970-01-01T00:00:00+00:00', t.occurred_at) + @offset) / 86400.0) AS int) ELSE t.business_day END, t.to_owner, t.moved_fen FROM dbo.transactions AS t
                 WHERE t.from_kind = 5 AND t.from_owner = 4 AND t.holder_id = @holder_id AND t.to_kind = 4 AND t.business_day BETWEEN @first_day AND @last_day
                UNION ALL
                SELECT t.business_day, t.from_owner, -t.moved_fen FROM dbo.transactions AS t
                 WHERE t.to_kind = 5 AND t.to_owner = 4 AND t.holder_id = @holder_id AND t.from_kind = 4 AND t.business_day BETWEEN @first_day AND @last_day) AS d
          JOIN dbo.merchants AS m ON m.no = d.merchant
         WHERE d.day BETWEEN @from_day AND @to_day) AS x
 GROUP BY DATEFROMPARTS(YEAR(x.day), MONTH(x.day), 1), x.category;
