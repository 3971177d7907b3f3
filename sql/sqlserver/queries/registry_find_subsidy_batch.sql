-- SqlServerRegistry.FindSubsidyBatchAsync.
SELECT batch_id, deadline, memo, created_by, created_at FROM dbo.subsidy_batches WHERE batch_id = @batch_id;
