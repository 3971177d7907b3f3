-- SqlServerRegistry.CampusesAsync: every campus, by number.
SELECT campus_no, code, name, created_at FROM dbo.campuses ORDER BY campus_no;
