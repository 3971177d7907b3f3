-- SqlServerJournal.MaxTransactionIdAsync (and the first read of SnapshotAsync).
SELECT COALESCE(MAX(id), CAST(0 AS bigint)) AS max_id FROM dbo.transactions;
