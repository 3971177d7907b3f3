-- SqlServerMigrator: campus 1's UTC offset from Engine:UtcOffset (@utc_offset, "+08:00"), once migration 004 has made
-- campus_settings (keyed by campus_no from migration 007 on: a database left between 004 and 007 is refused here).
IF OBJECT_ID(N'dbo.campus_settings', N'U') IS NOT NULL
    MERGE dbo.campus_settings WITH (HOLDLOCK) AS s
    USING (SELECT CAST(1 AS smallint) AS campus_no, @utc_offset AS utc_offset) AS r ON s.campus_no = r.campus_no
     WHEN MATCHED AND s.utc_offset <> r.utc_offset THEN UPDATE SET utc_offset = r.utc_offset
     WHEN NOT MATCHED BY TARGET THEN INSERT (campus_no, utc_offset) VALUES (r.campus_no, r.utc_offset);
