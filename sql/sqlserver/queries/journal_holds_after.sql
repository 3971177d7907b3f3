-- SqlServerJournal.HoldsAfterAsync: whether a transaction of partition @partition (the id's low ten bits) is above @after_id.
SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM dbo.transactions WHERE id > @after_id AND id % 1024 = @partition) THEN 1 ELSE 0 END AS bit);
