-- SqlServerMigrator: campus 1's code from Campuses:Default (@code), once migration 007 has made campuses.
IF OBJECT_ID(N'dbo.campuses', N'U') IS NOT NULL
    UPDATE dbo.campuses SET code = @code WHERE campus_no = 1 AND code <> @code;
