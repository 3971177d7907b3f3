-- The reference checks of postings_balance_check() are planned once per connection and the plan
-- is kept. Planned while the journal was small, a hash anti join that reads all of transactions
-- looked cheapest, and stayed: each batch then paid for the whole table (46 ms per batch at 400k
-- transactions). A statement's new postings are few next to the journal, so the checks always
-- probe the primary keys row by row.
ALTER FUNCTION postings_balance_check()
    SET enable_hashjoin = off
    SET enable_mergejoin = off
    SET enable_seqscan = off;
