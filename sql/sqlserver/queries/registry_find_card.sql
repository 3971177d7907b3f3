-- SqlServerRegistry.FindCardAsync.
SELECT c.card_no, c.holder_id, h.person_no, c.issued_at FROM dbo.cards AS c JOIN dbo.holders AS h ON h.id = c.holder_id WHERE c.card_no = @card_no;
