-- SqlServerRegistry.SetSecretAsync: stores the hash unless one set by a later (or the same) transaction is stored.
SET XACT_ABORT ON;
BEGIN TRANSACTION;
UPDATE dbo.secrets WITH (UPDLOCK, HOLDLOCK)
   SET hash = @hash, txn = @txn, changed_at = @at
 WHERE holder_id = @holder_id AND kind = @kind AND txn < @txn;
IF @@ROWCOUNT = 0
    INSERT INTO dbo.secrets (holder_id, kind, hash, txn, changed_at)
    SELECT @holder_id, @kind, @hash, @txn, @at
     WHERE NOT EXISTS (SELECT 1 FROM dbo.secrets WITH (UPDLOCK, HOLDLOCK) WHERE holder_id = @holder_id AND kind = @kind);
COMMIT TRANSACTION;
