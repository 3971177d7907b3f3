-- What the journal holds under a batch's (scope, request id) pairs, and the reversals naming them as originals
-- (a row can be both: the caller drops the second copy):
-- asked before every decide, so a retry whose hot record expired or was lost gets its first answer. Planned as
-- one index probe per pair, always (see 003 for why plans are pinned): a plan that scans the reversals, or
-- hashes the table, costs each batch the size of the journal.
CREATE FUNCTION journal_find(scopes text[], request_ids text[]) RETURNS SETOF transactions
    LANGUAGE sql STABLE
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
    SELECT t.* FROM unnest(scopes, request_ids) AS k (scope, request_id)
      JOIN transactions t ON t.scope = k.scope AND t.request_id = k.request_id
    UNION ALL
    SELECT t.* FROM unnest(scopes, request_ids) AS k (scope, request_id)
      JOIN transactions t ON t.kind = 2 AND t.scope = k.scope AND t.original_request_id = k.request_id
$$;
