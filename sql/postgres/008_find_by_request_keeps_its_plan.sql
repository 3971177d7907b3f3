-- journal_find (007) was a SQL function: with its SET clauses it is never inlined, and PostgreSQL plans
-- a SQL function's query afresh on every call, so each decide paid parse and plan. The same query in
-- PL/pgSQL is planned once per connection and kept; the SET clauses still pin the plan to index probes.
CREATE OR REPLACE FUNCTION journal_find(scopes text[], request_ids text[]) RETURNS SETOF transactions
    LANGUAGE plpgsql STABLE
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
    RETURN QUERY
    SELECT t.* FROM unnest(scopes, request_ids) AS k (scope, request_id)
      JOIN transactions t ON t.scope = k.scope AND t.request_id = k.request_id
    UNION ALL
    SELECT t.* FROM unnest(scopes, request_ids) AS k (scope, request_id)
      JOIN transactions t ON t.kind = 2 AND t.scope = k.scope AND t.original_request_id = k.request_id;
END
$$;
