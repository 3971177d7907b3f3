-- SqlServerRegistry.PlaceCampusAsync: records a campus the main database created, under its number, unless it is here.
INSERT INTO dbo.campuses (campus_no, code, name, created_at, journal_database, created_by)
SELECT @campus_no, @code, @name, @at, @journal_database, @by
 WHERE NOT EXISTS (SELECT 1 FROM dbo.campuses WITH (UPDLOCK, HOLDLOCK) WHERE campus_no = @campus_no);
