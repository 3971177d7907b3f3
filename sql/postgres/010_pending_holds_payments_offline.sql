-- Pending balance, subsidies, auto top-up, payments, offline records and holds (Domain/Enums.cs, kinds 17-28).
--
-- A transaction may move a second amount, on its side legs: the pending amount a debit claimed first (pending ->
-- purse), the rest of a settled hold back to the purse (holds -> purse). Both pairs of legs are balanced by construction.
ALTER TABLE transactions
    ADD COLUMN side_from_kind  smallint,
    ADD COLUMN side_from_owner bigint,
    ADD COLUMN side_to_kind    smallint,
    ADD COLUMN side_to_owner   bigint,
    ADD COLUMN side_fen        bigint NOT NULL DEFAULT 0,
    -- The open holds after the decision, beside the purse, e-wallet and pending balances after it.
    ADD COLUMN held_after_fen  bigint NOT NULL DEFAULT 0,
    -- A kind's reference number (ClearingRequest.Ref): the auto top-up request a quota top-up answers, a hold's
    -- lifetime in seconds, an offline record's terminal sequence number.
    ADD COLUMN ref             bigint NOT NULL DEFAULT 0,
    -- When an offline record happened at its terminal.
    ADD COLUMN occurred_at     timestamptz,
    -- A hold's deadline: unsettled then, the engine releases it.
    ADD COLUMN deadline        timestamptz,
    -- What an auto top-up request this decision opened asks the bank for (自动转账); 0 when it opened none.
    ADD COLUMN auto_topup_fen  bigint NOT NULL DEFAULT 0;

ALTER TABLE transactions ADD CONSTRAINT transactions_side_legs CHECK (
    CASE WHEN outcome = 1 AND side_fen > 0
         THEN side_from_kind IS NOT NULL AND side_from_owner IS NOT NULL AND side_to_kind IS NOT NULL AND side_to_owner IS NOT NULL
              AND (side_from_kind, side_from_owner) <> (side_to_kind, side_to_owner)
         ELSE num_nonnulls(side_from_kind, side_from_owner, side_to_kind, side_to_owner) = 0 AND side_fen = 0
    END);

-- The holds account (6) of every cardholder; payees of the e-payment platform are merchants of categories 7-11.
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind BETWEEN 1 AND 6);
INSERT INTO accounts (kind, owner, name, opened_at)
SELECT 6, h.id, h.person_no || ' holds', h.opened_at FROM holders h;
ALTER TABLE merchants DROP CONSTRAINT merchants_category_check;
ALTER TABLE merchants ADD CONSTRAINT merchants_category_check CHECK (category BETWEEN 1 AND 11);

DROP VIEW trial_balance;
DROP VIEW account_balances;
DROP VIEW postings;

CREATE VIEW postings AS
    SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen
      FROM transactions WHERE from_kind IS NOT NULL
    UNION ALL
    SELECT id, to_kind, to_owner, moved_fen
      FROM transactions WHERE to_kind IS NOT NULL
    UNION ALL
    SELECT id, side_from_kind, side_from_owner, -side_fen
      FROM transactions WHERE side_from_kind IS NOT NULL
    UNION ALL
    SELECT id, side_to_kind, side_to_owner, side_fen
      FROM transactions WHERE side_to_kind IS NOT NULL;

CREATE VIEW account_balances AS
    SELECT account_kind AS kind, account_owner AS owner, sum(amount_fen) AS balance_fen
      FROM postings GROUP BY account_kind, account_owner;

CREATE VIEW trial_balance AS
    SELECT kind, count(*) AS accounts, sum(balance_fen) AS balance_fen
      FROM account_balances GROUP BY kind;

CREATE OR REPLACE FUNCTION transactions_accounts_check() RETURNS trigger LANGUAGE plpgsql
    SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    bad bigint;
BEGIN
    SELECT l.id INTO bad
      FROM (SELECT kind, owner, min(id) AS id
              FROM (SELECT from_kind AS kind, from_owner AS owner, id FROM new_transactions WHERE from_kind IS NOT NULL
                    UNION ALL
                    SELECT to_kind, to_owner, id FROM new_transactions WHERE to_kind IS NOT NULL
                    UNION ALL
                    SELECT side_from_kind, side_from_owner, id FROM new_transactions WHERE side_from_kind IS NOT NULL
                    UNION ALL
                    SELECT side_to_kind, side_to_owner, id FROM new_transactions WHERE side_to_kind IS NOT NULL) legs
             GROUP BY kind, owner) l
     WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.kind = l.kind AND a.owner = l.owner)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'transaction % names an account that is not in the chart of accounts', bad
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

-- The kinds that act on an earlier request of their scope (a reversal's debit, a settle's or release's hold, a refund's
-- payment, a recall's subsidy) are found by it, as reversals were: a retry whose hot record expired, or an original
-- whose record must be rebuilt, gets what was done to it.
DROP INDEX transactions_reversals;
CREATE INDEX transactions_acting_on_originals ON transactions (scope, original_request_id) WHERE kind IN (2, 19, 24, 27, 28);

CREATE OR REPLACE FUNCTION journal_find(scopes text[], request_ids text[]) RETURNS SETOF transactions
    LANGUAGE plpgsql STABLE
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
    RETURN QUERY
    SELECT t.* FROM unnest(scopes, request_ids) AS k (scope, request_id)
      JOIN transactions t ON t.scope = k.scope AND t.request_id = k.request_id
    UNION ALL
    SELECT t.* FROM unnest(scopes, request_ids) AS k (scope, request_id)
      JOIN transactions t ON t.kind IN (2, 19, 24, 27, 28) AND t.scope = k.scope AND t.original_request_id = k.request_id;
END
$$;

-- Open holds by deadline, for the engine's release of the expired ones; auto top-up requests in the order they were
-- opened, for the bank gateway's stream.
CREATE INDEX transactions_hold_deadlines ON transactions (deadline) WHERE kind = 26 AND outcome = 1;
CREATE INDEX transactions_auto_topups ON transactions (id) WHERE auto_topup_fen > 0;
CREATE INDEX transactions_auto_topup_answers ON transactions (ref) WHERE kind = 3 AND ref > 0;
-- A subsidy batch's rows, for its recall.
CREATE INDEX transactions_subsidies ON transactions (request_id) WHERE kind = 18;
-- Offline records by their terminal and sequence (support, the card office's flagged ones).
CREATE INDEX transactions_offline ON transactions (terminal_id, ref) WHERE kind = 25;

-- Subsidy batches 补助: who uploaded one, and until when its subsidies may be claimed before they are recalled.
CREATE TABLE subsidy_batches (
    batch_id     text        PRIMARY KEY,
    deadline     timestamptz NOT NULL,
    memo         text        NOT NULL DEFAULT '',
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL
);
