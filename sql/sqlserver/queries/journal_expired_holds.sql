-- SqlServerJournal.ExpiredHoldsAsync: approved holds (26) whose deadline is in (@since, @now] that no settle (27) or
-- release (28) closed, oldest deadline first, at most @max: each with its card (its scope's number) and campus.
SELECT TOP (@max) h.id, dbo.scope_number(h.scope) AS card_no, h.request_id, h.campus_no
  FROM dbo.transactions AS h
 WHERE h.kind = 26 AND h.outcome = 1 AND h.deadline > @since AND h.deadline <= @now
   AND NOT EXISTS (SELECT 1 FROM dbo.transactions AS c
                    WHERE c.kind IN (27, 28) AND c.scope = h.scope AND c.original_request_id = h.request_id AND c.outcome = 1)
 ORDER BY h.deadline;
