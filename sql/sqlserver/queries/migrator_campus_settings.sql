-- SqlServerMigrator: the campus's UTC offset from Engine:UtcOffset (@utc_offset, "+08:00"), once migration 004 has made
-- campus_settings.
IF OBJECT_ID(N'dbo.campus_settings', N'U') IS NOT NULL
    MERGE dbo.campus_settings WITH (HOLDLOCK) AS s
    USING (SELECT CAST(1 AS smallint) AS id, @utc_offset AS utc_offset) AS r ON s.id = r.id
     WHEN MATCHED AND s.utc_offset <> r.utc_offset THEN UPDATE SET utc_offset = r.utc_offset
     WHEN NOT MATCHED BY TARGET THEN INSERT (id, utc_offset) VALUES (r.id, r.utc_offset);
