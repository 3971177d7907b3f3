-- SqlServerRegistry.GetHolderAsync.
SELECT id, person_no, name, card_type, opened_at FROM dbo.holders WHERE id = @holder_id;
