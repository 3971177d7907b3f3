-- SqlServerRegistry.RegisterTerminalAsync: registers the terminal (its id within the campus); moves it to the merchant,
-- or registers a revoked one again, from now on (tokens issued before stay refused: tokens_from); leaves a live
-- registration to this merchant as it is. The registration as stored, and whether this call changed it.
UPDATE dbo.terminals WITH (UPDLOCK, HOLDLOCK)
   SET merchant_no = @merchant_no, registered_at = @at, registered_by = @by, revoked_at = NULL, revoked_by = NULL, tokens_from = @at
 WHERE campus_no = @campus AND terminal_id = @terminal_id AND (merchant_no <> @merchant_no OR revoked_at IS NOT NULL);
DECLARE @changed int = @@ROWCOUNT;
INSERT INTO dbo.terminals (campus_no, terminal_id, merchant_no, registered_at, registered_by)
SELECT @campus, @terminal_id, @merchant_no, @at, @by
 WHERE NOT EXISTS (SELECT 1 FROM dbo.terminals WITH (UPDLOCK, HOLDLOCK) WHERE campus_no = @campus AND terminal_id = @terminal_id);
SET @changed = @changed + @@ROWCOUNT;
SELECT t.terminal_id, t.merchant_no, m.merchant_id, t.registered_at, t.revoked_at, t.tokens_from, t.campus_no, CAST(CASE WHEN @changed > 0 THEN 1 ELSE 0 END AS bit) AS created
  FROM dbo.terminals AS t JOIN dbo.merchants AS m ON m.no = t.merchant_no WHERE t.campus_no = @campus AND t.terminal_id = @terminal_id;
