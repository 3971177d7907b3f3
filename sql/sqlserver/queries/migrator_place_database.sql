-- SqlServerMigrator.PlaceAsync: places the database as journal database @number the first time; the number it holds.
EXEC dbo.place_journal_database @number;
