-- SqlServerRegistry.IssueCardAsync: takes the card number for the holder unless it is taken in the campus, then the card as issued
-- (another holder's when the number was taken).
INSERT INTO dbo.cards (campus_no, card_no, holder_id, issued_at)
SELECT @campus, @card_no, @holder_id, @at
 WHERE NOT EXISTS (SELECT 1 FROM dbo.cards WITH (UPDLOCK, HOLDLOCK) WHERE campus_no = @campus AND card_no = @card_no);
SELECT c.card_no, c.holder_id, h.person_no, c.issued_at, c.campus_no FROM dbo.cards AS c JOIN dbo.holders AS h ON h.id = c.holder_id WHERE c.campus_no = @campus AND c.card_no = @card_no;
