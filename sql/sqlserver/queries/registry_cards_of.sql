-- SqlServerRegistry.CardsOfAsync: the holder's cards, oldest first.
SELECT c.card_no, c.holder_id, h.person_no, c.issued_at, c.campus_no FROM dbo.cards AS c JOIN dbo.holders AS h ON h.id = c.holder_id WHERE c.holder_id = @holder_id ORDER BY c.issued_at, c.card_no;
