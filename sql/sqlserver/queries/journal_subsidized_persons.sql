-- SqlServerJournal.SubsidizedPersonsAsync: the person numbers (scope p:<person>) with an approved subsidy (18) of the batch.
SELECT SUBSTRING(scope, 3, 64) AS person_no
  FROM dbo.transactions
 WHERE kind = 18 AND outcome = 1 AND request_id = @batch_id
 ORDER BY id;
