-- SqlServerJournal.CountRequestKeysAsync: as many keys as journal_request_keys.sql yields before @before.
SELECT COUNT_BIG(*) + COUNT_BIG(CASE WHEN kind IN (2, 19, 24, 27, 28) THEN 1 END) AS keys
  FROM dbo.transactions
 WHERE decided_at < @before;
