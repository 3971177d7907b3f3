-- SqlServerRegistry.ConfigureCampusAsync: the campus's next version of its settings. UPDLOCK, HOLDLOCK on the campus's
-- highest version serialise two changes, so no version is taken twice.
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @configured TABLE (campus_no smallint NOT NULL, version int NOT NULL, effective_from datetimeoffset(6) NOT NULL, settings nvarchar(max) NOT NULL,
                           set_by nvarchar(200) NOT NULL, set_at datetimeoffset(6) NOT NULL);
INSERT INTO dbo.campus_configurations (campus_no, version, effective_from, settings, set_by, set_at)
OUTPUT inserted.campus_no, inserted.version, inserted.effective_from, inserted.settings, inserted.set_by, inserted.set_at INTO @configured
SELECT @campus, (SELECT COALESCE(MAX(v.version), 0) + 1 FROM dbo.campus_configurations AS v WITH (UPDLOCK, HOLDLOCK) WHERE v.campus_no = @campus),
       @from, @settings, @by, @at;
COMMIT TRANSACTION;
SELECT campus_no, version, effective_from, settings, set_by, set_at FROM @configured;
