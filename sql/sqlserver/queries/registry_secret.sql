-- SqlServerRegistry.SecretAsync.
SELECT hash, txn FROM dbo.secrets WHERE holder_id = @holder_id AND kind = @kind;
