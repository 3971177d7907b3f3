-- SqlServerRegistry.RegisterTerminalAsync: registers the terminal unless its id is taken; the registration as stored,
-- and whether this call created it.
INSERT INTO dbo.terminals (terminal_id, merchant_no, registered_at, registered_by)
SELECT @terminal_id, @merchant_no, @at, @by
 WHERE NOT EXISTS (SELECT 1 FROM dbo.terminals WITH (UPDLOCK, HOLDLOCK) WHERE terminal_id = @terminal_id);
DECLARE @created bit = CASE WHEN @@ROWCOUNT = 1 THEN 1 ELSE 0 END;
SELECT t.terminal_id, t.merchant_no, m.merchant_id, t.registered_at, t.revoked_at, @created AS created
  FROM dbo.terminals AS t JOIN dbo.merchants AS m ON m.no = t.merchant_no WHERE t.terminal_id = @terminal_id;
