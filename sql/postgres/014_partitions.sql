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

ALTER TABLE holders ADD COLUMN partition_hash integer;
UPDATE holders SET partition_hash = partition_hash('p:' || person_no);
ALTER TABLE holders ALTER COLUMN partition_hash SET NOT NULL;

-- A holder's newest transaction: its balances after it are the holder's balances now, so a rebuild reads them instead of
-- summing the holder's whole history.
CREATE INDEX transactions_holder ON transactions (holder_id, id);
