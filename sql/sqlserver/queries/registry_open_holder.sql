-- SqlServerRegistry.OpenHolderAsync: the holder and its four accounts (purse, e-wallet, pending, holds) in one
-- transaction; no row when the person number is taken in the campus. UPDLOCK, HOLDLOCK keep two concurrent openings from both passing.
-- The holder's slot is its tag's hash modulo 1024 (Partitioning.Slots), the tag within its campus (campus_key).
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @opened TABLE (id bigint NOT NULL, person_no nvarchar(64) NOT NULL, name nvarchar(200) NOT NULL, card_type smallint NOT NULL, opened_at datetimeoffset(6) NOT NULL,
                        campus_no smallint NOT NULL);
INSERT INTO dbo.holders (campus_no, person_no, name, card_type, opened_at, id_number_hash, partition_slot)
OUTPUT inserted.id, inserted.person_no, inserted.name, inserted.card_type, inserted.opened_at, inserted.campus_no INTO @opened
SELECT @campus, @person_no, @name, @card_type, @at, @id_number_hash, dbo.partition_hash(dbo.campus_key(@campus, CONCAT(N'p:', @person_no))) % 1024
 WHERE NOT EXISTS (SELECT 1 FROM dbo.holders WITH (UPDLOCK, HOLDLOCK) WHERE campus_no = @campus AND person_no = @person_no);
INSERT INTO dbo.accounts (kind, owner, name, opened_at, campus_no)
SELECT a.kind, o.id, CONCAT(o.person_no, N' ', a.label), @at, o.campus_no
  FROM @opened AS o
 CROSS JOIN (VALUES (CAST(1 AS smallint), N'purse'), (CAST(2 AS smallint), N'e-wallet'), (CAST(3 AS smallint), N'pending'), (CAST(6 AS smallint), N'holds')) AS a (kind, label);
COMMIT TRANSACTION;
SELECT id, person_no, name, card_type, opened_at, campus_no FROM @opened;
