-- SqlServerRegistry.IdNumberHashAsync.
SELECT id_number_hash FROM dbo.holders WHERE id = @holder_id;
