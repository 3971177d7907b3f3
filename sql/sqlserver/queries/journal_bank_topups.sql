-- SqlServerJournal.BankTopUpsAsync: the approved quota (3) and e-wallet (21) top-ups of the campus's business day.
SELECT t.request_id, h.person_no, t.moved_fen, t.id
  FROM dbo.transactions AS t
  JOIN dbo.holders AS h ON h.id = t.holder_id
 WHERE t.kind IN (3, 21) AND t.outcome = 1 AND t.business_day = @day AND t.campus_no = @campus
 ORDER BY t.id;
