-- SqlServerJournal.ContainsAsync.
SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM dbo.transactions WHERE id = @id) THEN 1 ELSE 0 END AS bit) AS found;
