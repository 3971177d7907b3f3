-- SqlServerMigrator: whether @table and the table type @type that fills it exist yet (codes and holder_fields are
-- written only once the migrations creating them ran).
SELECT CAST(CASE WHEN OBJECT_ID(@table, N'U') IS NOT NULL AND TYPE_ID(@type) IS NOT NULL THEN 1 ELSE 0 END AS bit) AS present;
