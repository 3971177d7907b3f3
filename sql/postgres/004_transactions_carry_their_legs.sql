-- Every transaction the engine makes moves one amount from one account to another (debit, reversal,
-- top-up, credit, transfer; fees, refunds, subsidies and settlement are two-legged too), so its two
-- postings are stored as the transaction's own from and to accounts, as TigerBeetle stores a
-- transfer: balanced by construction, and a journal write is one row per transaction instead of
-- three. This halved the journal's work per transaction (docs/performance.md). `postings` stays, as a
-- view with the same columns, and every query that read the table reads the view.
ALTER TABLE transactions
    ADD COLUMN from_kind  smallint,
    ADD COLUMN from_owner bigint,
    ADD COLUMN to_kind    smallint,
    ADD COLUMN to_owner   bigint;

-- Existing journals: each stored transaction had no postings or exactly -moved_fen and +moved_fen.
DO $$
DECLARE
    odd bigint;
BEGIN
    SELECT t.id INTO odd
      FROM transactions t LEFT JOIN postings p ON p.transaction_id = t.id
     GROUP BY t.id, t.moved_fen, t.outcome
    HAVING count(p.*) <> 0 AND (count(p.*) <> 2 OR min(p.amount_fen) <> -t.moved_fen OR max(p.amount_fen) <> t.moved_fen)
        OR count(p.*) = 0 AND t.outcome = 1 AND t.moved_fen <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'transaction % is not one amount moved between two accounts; migrate it by hand', odd;
    END IF;
END $$;

ALTER TABLE transactions DISABLE TRIGGER transactions_append_only;
UPDATE transactions t
   SET from_kind = f.account_kind, from_owner = f.account_owner, to_kind = c.account_kind, to_owner = c.account_owner
  FROM postings f, postings c
 WHERE f.transaction_id = t.id AND f.amount_fen < 0 AND c.transaction_id = t.id AND c.amount_fen > 0;
ALTER TABLE transactions ENABLE TRIGGER transactions_append_only;

-- An approved transaction that moved money names two different accounts; any other names none.
ALTER TABLE transactions ADD CONSTRAINT transactions_legs CHECK (
    CASE WHEN outcome = 1 AND moved_fen > 0
         THEN from_kind IS NOT NULL AND from_owner IS NOT NULL AND to_kind IS NOT NULL AND to_owner IS NOT NULL
              AND (from_kind, from_owner) <> (to_kind, to_owner)
         ELSE num_nonnulls(from_kind, from_owner, to_kind, to_owner) = 0
    END);

DROP VIEW trial_balance;
DROP VIEW account_balances;
DROP TABLE postings;
DROP FUNCTION postings_balance_check();

CREATE VIEW postings AS
    SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen
      FROM transactions WHERE from_kind IS NOT NULL
    UNION ALL
    SELECT id, to_kind, to_owner, moved_fen
      FROM transactions WHERE to_kind IS NOT NULL;

CREATE VIEW account_balances AS
    SELECT account_kind AS kind, account_owner AS owner, sum(amount_fen) AS balance_fen
      FROM postings GROUP BY account_kind, account_owner;

CREATE VIEW trial_balance AS
    SELECT kind, count(*) AS accounts, sum(balance_fen) AS balance_fen
      FROM account_balances GROUP BY kind;

-- Statements and balances read an account's side of each transaction; daily merchant settlement
-- reads a merchant's day (its debits on the to side, its reversals on the from side), so these two
-- replace the settlement index.
CREATE INDEX transactions_from_account ON transactions (from_kind, from_owner, business_day, id)
    INCLUDE (moved_fen) WHERE from_kind IS NOT NULL;
CREATE INDEX transactions_to_account ON transactions (to_kind, to_owner, business_day, id)
    INCLUDE (moved_fen) WHERE to_kind IS NOT NULL;
DROP INDEX transactions_merchant_day;

-- A request is looked up by its id (a reversal's original, a support query), by equality only: a
-- hash index costs 1.2 to 2.5 µs less per stored row than the btree over (scope, request_id), whose
-- random text keys were the dearest of the journal's indexes.
DROP INDEX transactions_scope_request;
CREATE INDEX transactions_request ON transactions USING hash (request_id);

-- The accounts a statement's new transactions name are in the chart of accounts: checked once per
-- statement and per distinct account, by primary-key probes (see 003 for why the plan is pinned).
CREATE FUNCTION transactions_accounts_check() RETURNS trigger LANGUAGE plpgsql
    SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    bad bigint;
BEGIN
    SELECT l.id INTO bad
      FROM (SELECT kind, owner, min(id) AS id
              FROM (SELECT from_kind AS kind, from_owner AS owner, id FROM new_transactions WHERE from_kind IS NOT NULL
                    UNION ALL
                    SELECT to_kind, to_owner, id FROM new_transactions WHERE to_kind IS NOT NULL) legs
             GROUP BY kind, owner) l
     WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.kind = l.kind AND a.owner = l.owner)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'transaction % names an account that is not in the chart of accounts', bad
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER transactions_accounts AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS new_transactions FOR EACH STATEMENT EXECUTE FUNCTION transactions_accounts_check();
