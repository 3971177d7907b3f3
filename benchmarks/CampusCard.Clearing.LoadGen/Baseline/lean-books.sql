-- After a run of the lean design, one row per check (ok, what): every purse row equals its journal (its credit, less
-- its approved debits, plus its refunds), and the merchant balances derived from the journal hold what the purses lost.
SELECT count(*) = 0, format('%s purses differ from the sum of their journal rows', count(*))
FROM baseline_lean.purses p
LEFT JOIN (
    SELECT holder_id, sum(CASE kind WHEN 1 THEN -amount_fen ELSE amount_fen END) AS fen
    FROM baseline_lean.transactions WHERE outcome = 1 GROUP BY holder_id
) j USING (holder_id)
WHERE p.balance_fen <> coalesce(j.fen, 0)
UNION ALL
SELECT credited = in_purses + at_merchants,
       format('%s fen credited = %s in the purses + %s at the merchants (derived from the journal)', credited, in_purses, at_merchants)
FROM (SELECT
    (SELECT coalesce(sum(amount_fen), 0) FROM baseline_lean.transactions WHERE kind = 4 AND outcome = 1)::bigint AS credited,
    (SELECT coalesce(sum(balance_fen), 0) FROM baseline_lean.purses)::bigint AS in_purses,
    (SELECT coalesce(sum(balance_fen), 0) FROM baseline_lean.merchant_balances)::bigint AS at_merchants) s;
