-- SqlServerRegistry.GetHolderAsync.
SELECT id, person_no, name, card_type, opened_at, campus_no FROM dbo.holders WHERE id = @holder_id;
