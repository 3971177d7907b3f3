-- SqlServerRegistry.FindSubsidyBatchAsync: the batch id within the campus.
SELECT batch_id, deadline, memo, created_by, created_at, campus_no FROM dbo.subsidy_batches WHERE campus_no = @campus AND batch_id = @batch_id;
