-- SqlServerJournal.SnapshotAsync: every card number issued to a holder of the partition whose slots are @slots
-- (dbo.bigint_list), its campus (the provider qualifies the number with it) and its holder's person number.
SELECT c.card_no, h.person_no, c.campus_no
  FROM dbo.holders AS h
  JOIN dbo.cards AS c ON c.holder_id = h.id
 WHERE h.partition_slot IN (SELECT value FROM @slots);
