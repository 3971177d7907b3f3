-- SqlServerMigrator: the codes table from the enums as they are in this build (@rows, dbo.code_rows).
MERGE dbo.codes WITH (HOLDLOCK) AS c
USING @rows AS r ON c.type = r.type AND c.code = r.code
 WHEN MATCHED AND c.name <> r.name THEN UPDATE SET name = r.name
 WHEN NOT MATCHED BY TARGET THEN INSERT (type, code, name) VALUES (r.type, r.code, r.name);
