-- SqlServerRegistry.ReleaseCardAsync: gives back a number taken for a card whose issue was declined, unless the journal
-- shows it approved for the holder (a card that is or was live).
DELETE FROM dbo.cards
 WHERE campus_no = @campus AND card_no = @card_no AND holder_id = @holder_id
   AND NOT EXISTS (SELECT 1 FROM dbo.transactions AS t WHERE t.holder_id = @holder_id AND t.card_no = @card_no AND t.outcome = 1);
