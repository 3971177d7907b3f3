-- The hot state's partitions (Domain/Partitioning.cs; docs/scaling.md). A holder belongs to the partition its tag
-- ('p:' and the person number) hashes to; transaction ids carry their partition in their low ten bits. A rebuild of one
-- partition reads only its holders and the records of the idempotency window that belong to it.

-- The tag's hash, as Partitioning.Hash computes it: a polynomial over the characters modulo 2^31 - 1 (tags hold only
-- ASCII letters, digits and - _ . :).
CREATE FUNCTION dbo.partition_hash(@tag nvarchar(200)) RETURNS int
WITH SCHEMABINDING
AS
BEGIN
    DECLARE @h bigint = 0;
    DECLARE @i int = 1;
    WHILE @i <= LEN(@tag)
    BEGIN
        SET @h = (@h * 31 + UNICODE(SUBSTRING(@tag, @i, 1))) % 2147483647;
        SET @i = @i + 1;
    END;
    RETURN CAST(@h AS int);
END;
GO

ALTER TABLE dbo.holders ADD partition_hash int NULL;
GO

UPDATE dbo.holders SET partition_hash = dbo.partition_hash(CONCAT(N'p:', person_no));
ALTER TABLE dbo.holders ALTER COLUMN partition_hash int NOT NULL;
GO

-- A holder's newest transaction: its balances after it are the holder's balances now, so a rebuild reads them instead of
-- summing the holder's whole history.
CREATE INDEX transactions_holder ON dbo.transactions (holder_id, id);
