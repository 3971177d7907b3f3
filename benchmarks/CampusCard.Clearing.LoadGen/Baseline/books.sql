-- After a run of the classic design, one row per check (ok, what): the double-entry postings balance, and every purse
-- and merchant row equals the sum of its postings.
SELECT s.total = 0, format('the postings sum to %s', s.total)
FROM (SELECT coalesce(sum(amount_fen), 0)::bigint AS total FROM baseline.postings) s
UNION ALL
SELECT count(*) = 0, format('%s purses differ from the sum of their postings', count(*))
FROM baseline.purses p
LEFT JOIN (SELECT account, sum(amount_fen) AS fen FROM baseline.postings GROUP BY account) q ON q.account = 'purse:' || p.holder_id
WHERE p.balance_fen <> coalesce(q.fen, 0)
UNION ALL
SELECT count(*) = 0, format('%s merchants differ from the sum of their postings', count(*))
FROM baseline.merchants m
LEFT JOIN (SELECT account, sum(amount_fen) AS fen FROM baseline.postings GROUP BY account) q ON q.account = 'merchant:' || m.merchant_id
WHERE m.balance_fen <> coalesce(q.fen, 0);
