-- SQL Server 2019 (T-SQL): sql/postgres/017, a campus's own settings, a version at a time, each applying from its
-- effective_from on (docs/campuses.md). settings is the JSON of Domain/Formats/CampusSettingsFormat.cs.
CREATE TABLE dbo.campus_configurations (
    campus_no       smallint          NOT NULL CONSTRAINT campus_configurations_campus_fkey REFERENCES dbo.campuses (campus_no),
    version         int               NOT NULL CONSTRAINT campus_configurations_version_check CHECK (version >= 1),
    effective_from  datetimeoffset(6) NOT NULL,
    settings        nvarchar(max)     NOT NULL,
    set_by          nvarchar(200)     NOT NULL,
    set_at          datetimeoffset(6) NOT NULL,
    CONSTRAINT campus_configurations_pkey PRIMARY KEY (campus_no, version)
);
GO

-- A version is never changed: a change is a new version.
CREATE TRIGGER dbo.campus_configurations_append_only ON dbo.campus_configurations INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51001, N'campus configurations are append-only: a change is a new version', 1;
END;
GO

-- The finance views' clock of a campus (migration 008): the UTC offset of its newest version in force (one without an
-- offset: the deployment's, campus 1's campus_settings); without a version, the campus's campus_settings row, else the
-- deployment's.
ALTER FUNCTION dbo.campus_utc_offset_of(@campus smallint) RETURNS nvarchar(6)
AS
BEGIN
    RETURN COALESCE(
        (SELECT TOP (1) COALESCE(JSON_VALUE(c.settings, N'$.utc_offset'), (SELECT d.utc_offset FROM dbo.campus_settings AS d WHERE d.campus_no = 1))
           FROM dbo.campus_configurations AS c
          WHERE c.campus_no = @campus AND c.effective_from <= SYSDATETIMEOFFSET()
          ORDER BY c.effective_from DESC, c.version DESC),
        (SELECT s.utc_offset FROM dbo.campus_settings AS s WHERE s.campus_no = @campus),
        (SELECT s.utc_offset FROM dbo.campus_settings AS s WHERE s.campus_no = 1));
END;
GO
