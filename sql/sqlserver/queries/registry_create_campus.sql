-- SqlServerRegistry.CreateCampusAsync: the campus under the next free number, placed in @journal_database; no row when
-- the code is taken. Campuses are created rarely, by the vendor: UPDLOCK, HOLDLOCK on the highest number and on the code
-- serialise two creations, so numbers stay dense and neither is taken twice.
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @created TABLE (campus_no smallint NOT NULL, code nvarchar(32) NOT NULL, name nvarchar(200) NOT NULL, created_at datetimeoffset(6) NOT NULL,
                         journal_database smallint NOT NULL);
INSERT INTO dbo.campuses (campus_no, code, name, created_at, journal_database, created_by)
OUTPUT inserted.campus_no, inserted.code, inserted.name, inserted.created_at, inserted.journal_database INTO @created
SELECT (SELECT COALESCE(MAX(n.campus_no), 0) + 1 FROM dbo.campuses AS n WITH (UPDLOCK, HOLDLOCK)), @code, @name, @at, @journal_database, @by
 WHERE NOT EXISTS (SELECT 1 FROM dbo.campuses WITH (UPDLOCK, HOLDLOCK) WHERE code = @code);
COMMIT TRANSACTION;
SELECT campus_no, code, name, created_at, journal_database FROM @created;
