-- SqlServerRegistry.CampusesAsync: every campus, by number.
SELECT campus_no, code, name, created_at, journal_database FROM dbo.campuses ORDER BY campus_no;
