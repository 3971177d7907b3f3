-- SqlServerJournal.OfflineCardsAsync: the card of each of the terminal's offline records (25) among @seqs (dbo.bigint_list).
SELECT t.ref, SUBSTRING(t.scope, 3, 64) AS card_no
  FROM dbo.transactions AS t
 WHERE t.kind = 25 AND t.terminal_id = @terminal_id AND t.ref IN (SELECT value FROM @seqs);
