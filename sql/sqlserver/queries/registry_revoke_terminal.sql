-- SqlServerRegistry.RevokeTerminalAsync: revokes once (a second revocation keeps the first); the registration after.
UPDATE dbo.terminals SET revoked_at = @at, revoked_by = @by WHERE campus_no = @campus AND terminal_id = @terminal_id AND revoked_at IS NULL;
SELECT t.terminal_id, t.merchant_no, m.merchant_id, t.registered_at, t.revoked_at, t.tokens_from, t.campus_no FROM dbo.terminals AS t JOIN dbo.merchants AS m ON m.no = t.merchant_no WHERE t.campus_no = @campus AND t.terminal_id = @terminal_id;
