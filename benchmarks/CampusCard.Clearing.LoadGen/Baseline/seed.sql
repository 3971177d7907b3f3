-- Every baseline run starts from the same state as the service's accounts: purse i holds
-- @balances[i], credited from suspense by one seed transaction, so the postings sum to zero.
TRUNCATE baseline.postings, baseline.transactions, baseline.purses, baseline.merchants;

INSERT INTO baseline.purses (holder_id, balance_fen)
SELECT holder_id, balance_fen FROM unnest(@balances::bigint[]) WITH ORDINALITY AS b(balance_fen, holder_id);

INSERT INTO baseline.merchants (merchant_id, balance_fen)
SELECT 'CANTEEN-' || g, 0 FROM generate_series(1, @merchants) g;

INSERT INTO baseline.transactions (request_id, kind, terminal_id, amount_fen, outcome, reason, balance_after)
SELECT 'seed', 4, 'seed', sum(balance_fen), 1, 0, 0 FROM baseline.purses;

INSERT INTO baseline.postings (request_id, account, amount_fen)
SELECT 'seed', 'purse:' || holder_id, balance_fen FROM baseline.purses
UNION ALL
SELECT 'seed', 'system:suspense', -sum(balance_fen) FROM baseline.purses;

ANALYZE baseline.purses, baseline.merchants, baseline.transactions, baseline.postings;
