-- SqlServerRegistry.CampusConfigurationsAsync: every version of every campus's settings.
SELECT campus_no, version, effective_from, settings, set_by, set_at FROM dbo.campus_configurations ORDER BY campus_no, version;
