-- Every lean baseline run starts from the same state as the service's accounts: purse i holds @balances[i], credited
-- from suspense by a journal row of its own, so each purse equals its journal from the start.
TRUNCATE baseline_lean.transactions, baseline_lean.purses, baseline_lean.merchants;

INSERT INTO baseline_lean.purses (holder_id, balance_fen)
SELECT holder_id, balance_fen FROM unnest(@balances::bigint[]) WITH ORDINALITY AS b(balance_fen, holder_id);

INSERT INTO baseline_lean.merchants (merchant_id)
SELECT 'CANTEEN-' || g FROM generate_series(1, @merchants) g;

INSERT INTO baseline_lean.transactions (request_id, kind, holder_id, terminal_id, amount_fen, outcome, reason, balance_after)
SELECT 'seed-' || holder_id, 4, holder_id, 'seed', balance_fen, 1, 0, balance_fen FROM baseline_lean.purses;

ANALYZE baseline_lean.purses, baseline_lean.merchants, baseline_lean.transactions;
