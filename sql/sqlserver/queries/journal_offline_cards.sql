-- SqlServerJournal.OfflineCardsAsync: the card (its scope's number) of each of the campus's terminal's offline records (25)
-- among @seqs (dbo.bigint_list).
SELECT t.ref, dbo.scope_number(t.scope) AS card_no
  FROM dbo.transactions AS t
 WHERE t.kind = 25 AND t.terminal_id = @terminal_id AND t.ref IN (SELECT value FROM @seqs) AND t.campus_no = @campus;
