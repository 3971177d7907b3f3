-- SqlServerRegistry.OpenHolderAsync: the holder and its four accounts (purse, e-wallet, pending, holds) in one
-- transaction; no row when the person number is taken. UPDLOCK, HOLDLOCK keep two concurrent openings from both passing.
-- The holder's slot is its tag's hash modulo 1024 (Partitioning.Slots).
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @opened TABLE (id bigint NOT NULL, person_no nvarchar(64) NOT NULL, name nvarchar(200) NOT NULL, card_type smallint NOT NULL, opened_at datetimeoffset(6) NOT NULL);
INSERT INTO dbo.holders (person_no, name, card_type, opened_at, id_number_hash, partition_slot)
OUTPUT inserted.id, inserted.person_no, inserted.name, inserted.card_type, inserted.opened_at INTO @opened
SELECT @person_no, @name, @card_type, @at, @id_number_hash, dbo.partition_hash(CONCAT(N'p:', @person_no)) % 1024
 WHERE NOT EXISTS (SELECT 1 FROM dbo.holders WITH (UPDLOCK, HOLDLOCK) WHERE person_no = @person_no);
INSERT INTO dbo.accounts (kind, owner, name, opened_at)
SELECT a.kind, o.id, CONCAT(o.person_no, N' ', a.label), @at
  FROM @opened AS o
 CROSS JOIN (VALUES (CAST(1 AS smallint), N'purse'), (CAST(2 AS smallint), N'e-wallet'), (CAST(3 AS smallint), N'pending'), (CAST(6 AS smallint), N'holds')) AS a (kind, label);
COMMIT TRANSACTION;
SELECT id, person_no, name, card_type, opened_at FROM @opened;
