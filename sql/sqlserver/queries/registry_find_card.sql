-- SqlServerRegistry.FindCardAsync: the card number within the campus.
SELECT c.card_no, c.holder_id, h.person_no, c.issued_at, c.campus_no FROM dbo.cards AS c JOIN dbo.holders AS h ON h.id = c.holder_id WHERE c.campus_no = @campus AND c.card_no = @card_no;
