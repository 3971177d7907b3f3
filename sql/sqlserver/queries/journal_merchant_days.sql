-- SqlServerJournal.MerchantDaysAsync: business day @day up to @through_id of every merchant of campus @campus: sales,
-- reversals (2), refunds (24), and what settlements (29) of the day (ref = the day) took already.
SELECT m.no, m.merchant_id, m.name, m.category,
       COUNT_BIG(CASE WHEN d.to_kind = 4 THEN 1 END) AS sales,
       COALESCE(SUM(CASE WHEN d.to_kind = 4 THEN d.moved_fen END), 0) AS gross_fen,
       COUNT_BIG(CASE WHEN d.kind = 2 THEN 1 END) AS reversals,
       COALESCE(SUM(CASE WHEN d.kind = 2 THEN d.moved_fen END), 0) AS reversals_fen,
       COUNT_BIG(CASE WHEN d.kind = 24 THEN 1 END) AS refunds,
       COALESCE(SUM(CASE WHEN d.kind = 24 THEN d.moved_fen END), 0) AS refunds_fen,
       COALESCE(SUM(CASE WHEN d.kind = 29 THEN d.moved_fen END), 0) AS settled_fen
  FROM (SELECT t.kind, t.to_kind, t.moved_fen, CASE WHEN t.to_kind = 4 THEN t.to_owner ELSE t.from_owner END AS merchant
          FROM dbo.transactions AS t
         WHERE t.business_day = @day AND t.id <= @through_id AND t.outcome = 1 AND t.kind <> 29 AND (t.to_kind = 4 OR t.from_kind = 4)
        UNION ALL
        SELECT t.kind, NULL, t.moved_fen, t.from_owner
          FROM dbo.transactions AS t
         WHERE t.kind = 29 AND t.outcome = 1 AND t.ref = @day AND t.from_kind = 4) AS d
  JOIN dbo.merchants AS m ON m.no = d.merchant
 WHERE m.campus_no = @campus
 GROUP BY m.no, m.merchant_id, m.name, m.category
 ORDER BY m.merchant_id;
