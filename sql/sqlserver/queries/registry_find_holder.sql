-- SqlServerRegistry.FindHolderAsync.
SELECT id, person_no, name, card_type, opened_at FROM dbo.holders WHERE person_no = @person_no;
