-- SqlServerRegistry.FindHolderAsync: the person within the campus.
SELECT id, person_no, name, card_type, opened_at, campus_no FROM dbo.holders WHERE campus_no = @campus AND person_no = @person_no;
