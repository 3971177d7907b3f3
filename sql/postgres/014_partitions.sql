-- The hot state's partitions (Domain/Partitioning.cs; docs/scaling.md). A holder belongs to the partition its tag
-- ('p:' and the person number) hashes to; transaction ids carry their partition in their low ten bits. A rebuild of one
-- partition reads only its holders and the records of the idempotency window that belong to it.

-- The tag's hash, as Partitioning.Hash computes it: a polynomial over the characters modulo 2^31 - 1. Tags hold only
-- ASCII letters, digits and - _ . : (Validation.Identifier), whose code points are their UTF-16 code units.
CREATE FUNCTION partition_hash(tag text) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h bigint := 0;
BEGIN
    FOR i IN 1 .. length(tag) LOOP
        h := (h * 31 + ascii(substr(tag, i, 1))) % 2147483647;
    END LOOP;
    RETURN h;
END $$;

-- A holder's slot: its tag's hash modulo 1024 (Partitioning.Slots). The count of partitions is a power of two up to 1024, so
-- a partition is the slots whose remainder by the count is the partition, whatever the count: a rebuild reads its holders
-- by this index, not by a scan of every holder.
ALTER TABLE holders ADD COLUMN partition_slot smallint;
UPDATE holders SET partition_slot = partition_hash('p:' || person_no) % 1024;
ALTER TABLE holders ALTER COLUMN partition_slot SET NOT NULL;
ALTER TABLE holders ADD CONSTRAINT holders_partition_slot_range CHECK (partition_slot BETWEEN 0 AND 1023);
CREATE INDEX holders_partition_slot ON holders (partition_slot);

-- A holder's newest transaction: its balances after it are the holder's balances now, so a rebuild reads them instead of
-- summing the holder's whole history.
CREATE INDEX transactions_holder ON transactions (holder_id, id);

-- A holder's transactions since a time: a rebuild reads its records of the idempotency window and its rows of the day
-- (the day's spend) by this index, so it reads the partition's live state and none of its history. Holder 0 is nobody:
-- the requests for a card nobody holds, an unknown person or a merchant.
CREATE INDEX transactions_holder_time ON transactions (holder_id, decided_at);
