-- SqlServerRegistry.FindTerminalAsync.
SELECT t.terminal_id, t.merchant_no, m.merchant_id, t.registered_at, t.revoked_at, t.tokens_from FROM dbo.terminals AS t JOIN dbo.merchants AS m ON m.no = t.merchant_no WHERE t.terminal_id = @terminal_id;
