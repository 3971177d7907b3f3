-- SqlServerMigrator: records an applied file, in the transaction that applied it.
INSERT INTO dbo.schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum);
