-- SqlServerJournal.SubsidizedPersonsAsync: the person numbers (scope p:<person>, or 2/p:<person> at campus 2) with an
-- approved subsidy (18) of the campus's batch.
SELECT dbo.scope_number(scope) AS person_no
  FROM dbo.transactions
 WHERE kind = 18 AND outcome = 1 AND request_id = @batch_id AND campus_no = @campus
 ORDER BY id;
