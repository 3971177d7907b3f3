-- SqlServerRegistry.OpenSubsidyBatchAsync: records the batch unless its id is taken; the batch as recorded (its
-- deadline stays the first upload's).
INSERT INTO dbo.subsidy_batches (batch_id, deadline, memo, created_by, created_at)
SELECT @batch_id, @deadline, @memo, @by, @at
 WHERE NOT EXISTS (SELECT 1 FROM dbo.subsidy_batches WITH (UPDLOCK, HOLDLOCK) WHERE batch_id = @batch_id);
SELECT batch_id, deadline, memo, created_by, created_at FROM dbo.subsidy_batches WHERE batch_id = @batch_id;
