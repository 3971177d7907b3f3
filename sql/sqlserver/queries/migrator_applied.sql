-- SqlServerMigrator: the files applied, and their checksums.
SELECT version, checksum FROM dbo.schema_migrations;
