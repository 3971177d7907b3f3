-- SqlServerMigrator: the holder format's fields by position, from the layouts (@rows, dbo.holder_field_rows).
MERGE dbo.holder_fields WITH (HOLDLOCK) AS f
USING @rows AS r ON f.version = r.version AND f.name = r.name
 WHEN MATCHED AND f.position <> r.position THEN UPDATE SET position = r.position
 WHEN NOT MATCHED BY TARGET THEN INSERT (version, name, position) VALUES (r.version, r.name, r.position);
