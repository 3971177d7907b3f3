-- SqlServerMigrator.NumberAsync: the number the database was placed as; no row when it never was (or is not migrated).
IF OBJECT_ID(N'dbo.journal_database', N'U') IS NOT NULL
    SELECT number FROM dbo.journal_database;
