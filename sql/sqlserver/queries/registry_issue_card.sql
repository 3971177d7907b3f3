-- SqlServerRegistry.IssueCardAsync: takes the card number for the holder unless it is taken, then the card as issued
-- (another holder's when the number was taken).
INSERT INTO dbo.cards (card_no, holder_id, issued_at)
SELECT @card_no, @holder_id, @at
 WHERE NOT EXISTS (SELECT 1 FROM dbo.cards WITH (UPDLOCK, HOLDLOCK) WHERE card_no = @card_no);
SELECT c.card_no, c.holder_id, h.person_no, c.issued_at FROM dbo.cards AS c JOIN dbo.holders AS h ON h.id = c.holder_id WHERE c.card_no = @card_no;
