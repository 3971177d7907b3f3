-- SqlServerRegistry.OpenMerchantAsync: the merchant and its account (4) in one transaction; no row when the merchant id is taken in
-- the campus.
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @opened TABLE (no bigint NOT NULL, merchant_id nvarchar(64) NOT NULL, name nvarchar(200) NOT NULL, category smallint NOT NULL, opened_at datetimeoffset(6) NOT NULL,
                        campus_no smallint NOT NULL);
INSERT INTO dbo.merchants (campus_no, merchant_id, name, category, opened_at)
OUTPUT inserted.no, inserted.merchant_id, inserted.name, inserted.category, inserted.opened_at, inserted.campus_no INTO @opened
SELECT @campus, @merchant_id, @name, @category, @at
 WHERE NOT EXISTS (SELECT 1 FROM dbo.merchants WITH (UPDLOCK, HOLDLOCK) WHERE campus_no = @campus AND merchant_id = @merchant_id);
INSERT INTO dbo.accounts (kind, owner, name, opened_at, campus_no)
SELECT CAST(4 AS smallint), o.no, CONCAT(N'merchant ', o.merchant_id), @at, o.campus_no FROM @opened AS o;
COMMIT TRANSACTION;
SELECT no, merchant_id, name, category, opened_at, campus_no FROM @opened;
