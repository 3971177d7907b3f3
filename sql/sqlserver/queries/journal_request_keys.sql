-- SqlServerJournal.ReadRequestKeysAsync: every transaction's key in [@from, @before), and the original's key of those
-- acting on originals (the kinds of transactions_acting_on_originals and journal_find; a test checks them against
-- Kinds.All).
SELECT scope, request_id, CASE WHEN kind IN (2, 19, 24, 27, 28) THEN original_request_id END AS original_request_id
  FROM dbo.transactions
 WHERE decided_at >= @from AND decided_at < @before;
