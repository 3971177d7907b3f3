-- SqlServerRegistry.OpenSubsidyBatchAsync: records the batch unless its id is taken in the campus; the batch as recorded (its
-- deadline stays the first upload's).
INSERT INTO dbo.subsidy_batches (campus_no, batch_id, deadline, memo, created_by, created_at)
SELECT @campus, @batch_id, @deadline, @memo, @by, @at
 WHERE NOT EXISTS (SELECT 1 FROM dbo.subsidy_batches WITH (UPDLOCK, HOLDLOCK) WHERE campus_no = @campus AND batch_id = @batch_id);
SELECT batch_id, deadline, memo, created_by, created_at, campus_no FROM dbo.subsidy_batches WHERE campus_no = @campus AND batch_id = @batch_id;
