-- SqlServerJournal.SnapshotAsync: every card number issued to a holder of partition @partition of @count, and its holder's person number.
SELECT c.card_no, h.person_no
  FROM dbo.cards AS c
  JOIN dbo.holders AS h ON h.id = c.holder_id
 WHERE h.partition_hash % @count = @partition;
