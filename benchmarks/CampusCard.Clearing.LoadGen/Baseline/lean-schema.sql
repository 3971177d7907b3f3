-- The best classic design, lean: a swipe locks only the cardholder's purse row (SELECT ... FOR UPDATE), checks the
-- balance, updates the purse and inserts one journal row; nothing else is locked or written. Merchant balances are
-- derived from the journal (view merchant_balances), as a settlement would, never updated per swipe, so the swipes of
-- a busy canteen do not queue behind its row. A reversal likewise: the original is reversed at most once by a unique
-- index over the reversals, not by marking and locking the original's row. Signatures and codes as in schema.sql, in a
-- schema of its own so the two designs coexist. Created idempotently by the load generator.

CREATE SCHEMA IF NOT EXISTS baseline_lean;

CREATE TABLE IF NOT EXISTS baseline_lean.purses (
    holder_id    bigint PRIMARY KEY,
    balance_fen  bigint NOT NULL CHECK (balance_fen >= 0)
);

-- Read by a swipe, never locked or updated: it tells a known merchant from an unknown one.
CREATE TABLE IF NOT EXISTS baseline_lean.merchants (
    merchant_id  text PRIMARY KEY
);

-- The journal: one row per request with its answer; amount_fen moved when outcome = 1 (from the purse for a debit,
-- to it for a credit or a reversal's refund).
CREATE TABLE IF NOT EXISTS baseline_lean.transactions (
    request_id           text PRIMARY KEY,
    kind                 smallint    NOT NULL,
    holder_id            bigint,
    merchant_id          text,
    terminal_id          text        NOT NULL,
    amount_fen           bigint      NOT NULL,
    outcome              smallint    NOT NULL,
    reason               smallint    NOT NULL,
    balance_after        bigint      NOT NULL,
    original_request_id  text,
    created_at           timestamptz NOT NULL DEFAULT now()
);

-- An original has at most one approved reversal. Only reversals are in it, so a debit pays for no second index.
CREATE UNIQUE INDEX IF NOT EXISTS transactions_reversed_once ON baseline_lean.transactions (original_request_id)
    WHERE kind = 2 AND outcome = 1;

CREATE OR REPLACE VIEW baseline_lean.merchant_balances AS
SELECT merchant_id, sum(CASE kind WHEN 1 THEN amount_fen ELSE -amount_fen END)::bigint AS balance_fen
FROM baseline_lean.transactions
WHERE outcome = 1 AND kind IN (1, 2)
GROUP BY merchant_id;

-- Idempotent on the request id: a retry gets the stored answer. The purse row lock comes first and serialises every
-- request of the cardholder, so the idempotency check cannot race.
CREATE OR REPLACE FUNCTION baseline_lean.debit(
    p_request_id text, p_holder_id bigint, p_merchant_id text, p_terminal_id text, p_amount_fen bigint,
    OUT outcome_code smallint, OUT reason_code smallint, OUT purse_after bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_balance bigint;
BEGIN
    SELECT p.balance_fen INTO v_balance FROM baseline_lean.purses p WHERE p.holder_id = p_holder_id FOR UPDATE;
    SELECT t.outcome, t.reason, t.balance_after INTO outcome_code, reason_code, purse_after
      FROM baseline_lean.transactions t WHERE t.request_id = p_request_id;
    IF FOUND THEN
        RETURN;
    END IF;
    outcome_code := 2;
    purse_after := coalesce(v_balance, 0);
    IF v_balance IS NULL THEN
        reason_code := 2;  -- unknown card
    ELSIF v_balance < p_amount_fen THEN
        reason_code := 1;  -- insufficient funds
    ELSIF NOT EXISTS (SELECT 1 FROM baseline_lean.merchants m WHERE m.merchant_id = p_merchant_id) THEN
        reason_code := 6;  -- unknown merchant
    ELSE
        outcome_code := 1;
        reason_code := 0;
        purse_after := v_balance - p_amount_fen;
        UPDATE baseline_lean.purses p SET balance_fen = purse_after WHERE p.holder_id = p_holder_id;
    END IF;
    INSERT INTO baseline_lean.transactions (request_id, kind, holder_id, merchant_id, terminal_id, amount_fen, outcome, reason, balance_after)
    VALUES (p_request_id, 1, p_holder_id, p_merchant_id, p_terminal_id, p_amount_fen, outcome_code, reason_code, purse_after);
END $$;

-- Reverses an approved debit at most once; a declined original reverses to nothing. The original is read without a
-- lock: it is the same cardholder's (else not reversible), whose purse lock this call holds. As in schema.sql, a
-- reversal that arrives before its original is declined as not reversible.
CREATE OR REPLACE FUNCTION baseline_lean.reverse(
    p_request_id text, p_original_request_id text, p_holder_id bigint, p_terminal_id text,
    OUT outcome_code smallint, OUT reason_code smallint, OUT purse_after bigint, OUT refunded_fen bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_balance bigint;
    v_original baseline_lean.transactions%ROWTYPE;
BEGIN
    SELECT p.balance_fen INTO v_balance FROM baseline_lean.purses p WHERE p.holder_id = p_holder_id FOR UPDATE;
    SELECT t.outcome, t.reason, t.balance_after, t.amount_fen INTO outcome_code, reason_code, purse_after, refunded_fen
      FROM baseline_lean.transactions t WHERE t.request_id = p_request_id;
    IF FOUND THEN
        RETURN;
    END IF;
    SELECT * INTO v_original FROM baseline_lean.transactions t WHERE t.request_id = p_original_request_id;
    outcome_code := 2;
    purse_after := coalesce(v_balance, 0);
    refunded_fen := 0;
    IF v_balance IS NULL THEN
        reason_code := 2;   -- unknown card
    ELSIF v_original.request_id IS NULL OR v_original.kind <> 1 OR v_original.holder_id <> p_holder_id THEN
        reason_code := 10;  -- not reversible
    ELSIF EXISTS (SELECT 1 FROM baseline_lean.transactions t
                  WHERE t.original_request_id = p_original_request_id AND t.kind = 2 AND t.outcome = 1) THEN
        reason_code := 8;   -- already reversed
    ELSE
        outcome_code := 1;
        reason_code := 0;
        IF v_original.outcome = 1 THEN
            refunded_fen := v_original.amount_fen;
            purse_after := v_balance + refunded_fen;
            UPDATE baseline_lean.purses p SET balance_fen = purse_after WHERE p.holder_id = p_holder_id;
        END IF;
    END IF;
    INSERT INTO baseline_lean.transactions (request_id, kind, holder_id, merchant_id, terminal_id, amount_fen, outcome, reason, balance_after, original_request_id)
    VALUES (p_request_id, 2, p_holder_id, v_original.merchant_id, p_terminal_id, refunded_fen, outcome_code, reason_code, purse_after, p_original_request_id);
END $$;
