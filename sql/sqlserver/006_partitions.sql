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

-- A holder's slot: its tag's hash modulo 1024 (Partitioning.Slots). The count of partitions is a power of two up to 1024, so
-- a partition is the slots whose remainder by the count is the partition, whatever the count: a rebuild reads its holders
-- by this index, not by a scan of every holder.
ALTER TABLE dbo.holders ADD partition_slot smallint NULL;
GO

UPDATE dbo.holders SET partition_slot = dbo.partition_hash(CONCAT(N'p:', person_no)) % 1024;
ALTER TABLE dbo.holders ALTER COLUMN partition_slot smallint NOT NULL;
ALTER TABLE dbo.holders ADD CONSTRAINT holders_partition_slot_range CHECK (partition_slot BETWEEN 0 AND 1023);
CREATE INDEX holders_partition_slot ON dbo.holders (partition_slot);
GO

-- A holder's newest transaction: its balances after it are the holder's balances now, so a rebuild reads them instead of
-- summing the holder's whole history.
CREATE INDEX transactions_holder ON dbo.transactions (holder_id, id);

-- A holder's transactions since a time: a rebuild reads its records of the idempotency window and its rows of the day
-- (the day's spend) by this index, so it reads the partition's live state and none of its history. Holder 0 is nobody:
-- the requests for a card nobody holds, an unknown person or a merchant.
CREATE INDEX transactions_holder_time ON dbo.transactions (holder_id, decided_at);
