-- SqlServerJournal.ReadCardStatesAsync: card state changes in (@after_id, @through_id], at most @max_changes, each with
-- every card of its holder (oldest first) and the holder's campus; @newest_only keeps each holder's newest change.
WITH changes AS (
    SELECT TOP (@max_changes) t.id, t.holder_id, t.holder_after
      FROM dbo.transactions AS t
     WHERE t.holder_after IS NOT NULL AND t.id > @after_id AND t.id <= @through_id
       AND (@newest_only = 0 OR t.id = (SELECT MAX(s.id) FROM dbo.transactions AS s
                                         WHERE s.holder_after IS NOT NULL AND s.holder_id = t.holder_id AND s.id <= @through_id))
     ORDER BY t.id)
SELECT c.id,
       CAST(ROW_NUMBER() OVER (PARTITION BY c.id ORDER BY k.issued_at, k.card_no) - 1 AS int) AS card_index,
       k.card_no, h.person_no, c.holder_after, h.campus_no
  FROM changes AS c
  JOIN dbo.cards AS k ON k.holder_id = c.holder_id
  JOIN dbo.holders AS h ON h.id = c.holder_id
 ORDER BY c.id, card_index;
