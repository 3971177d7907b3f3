-- SqlServerMigrator: the record of applied files, before the first of them runs (001 creates it the same way).
IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
CREATE TABLE dbo.schema_migrations (
    version     int               NOT NULL CONSTRAINT schema_migrations_pkey PRIMARY KEY,
    name        nvarchar(200)     NOT NULL,
    checksum    nvarchar(100)     NOT NULL,
    applied_at  datetimeoffset(6) NOT NULL CONSTRAINT schema_migrations_applied_at_default DEFAULT SYSDATETIMEOFFSET()
);
