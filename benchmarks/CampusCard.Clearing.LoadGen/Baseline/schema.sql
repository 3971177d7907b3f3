-- The classic design the service is measured against: the balance is a row, each card swipe is one
-- stored-procedure call in its own database transaction, committed synchronously. Codes are the
-- service's (kind 1 debit, 2 reversal, 4 credit; outcome 1 approved, 2 declined; reasons as in
-- common.proto), so the two can be read side by side. Created idempotently by the load generator.

CREATE SCHEMA IF NOT EXISTS baseline;

CREATE TABLE IF NOT EXISTS baseline.purses (
    holder_id    bigint PRIMARY KEY,
    balance_fen  bigint NOT NULL CHECK (balance_fen >= 0)
);

CREATE TABLE IF NOT EXISTS baseline.merchants (
    merchant_id  text PRIMARY KEY,
    balance_fen  bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS baseline.transactions (
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
    reversed_by          text,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS baseline.postings (
    request_id  text   NOT NULL REFERENCES baseline.transactions (request_id),
    account     text   NOT NULL,
    amount_fen  bigint NOT NULL,
    PRIMARY KEY (request_id, account)
);

-- Idempotent on the request id: a retry gets the stored answer. The purse row lock comes first and
-- serialises every request of the cardholder, so the idempotency check cannot race.
CREATE OR REPLACE FUNCTION baseline.debit(
    p_request_id text, p_holder_id bigint, p_merchant_id text, p_terminal_id text, p_amount_fen bigint,
    OUT outcome_code smallint, OUT reason_code smallint, OUT purse_after bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_balance bigint;
BEGIN
    SELECT p.balance_fen INTO v_balance FROM baseline.purses p WHERE p.holder_id = p_holder_id FOR UPDATE;
    SELECT t.outcome, t.reason, t.balance_after INTO outcome_code, reason_code, purse_after
      FROM baseline.transactions t WHERE t.request_id = p_request_id;
    IF FOUND THEN
        RETURN;
    END IF;
    outcome_code := 2;
    purse_after := coalesce(v_balance, 0);
    IF v_balance IS NULL THEN
        reason_code := 2;  -- unknown card
    ELSIF v_balance < p_amount_fen THEN
        reason_code := 1;  -- insufficient funds
    ELSE
        UPDATE baseline.merchants m SET balance_fen = m.balance_fen + p_amount_fen WHERE m.merchant_id = p_merchant_id;
        IF NOT FOUND THEN
            reason_code := 6;  -- unknown merchant
        ELSE
            outcome_code := 1;
            reason_code := 0;
            purse_after := v_balance - p_amount_fen;
            UPDATE baseline.purses p SET balance_fen = purse_after WHERE p.holder_id = p_holder_id;
        END IF;
    END IF;
    INSERT INTO baseline.transactions (request_id, kind, holder_id, merchant_id, terminal_id, amount_fen, outcome, reason, balance_after)
    VALUES (p_request_id, 1, p_holder_id, p_merchant_id, p_terminal_id, p_amount_fen, outcome_code, reason_code, purse_after);
    IF outcome_code = 1 THEN
        INSERT INTO baseline.postings (request_id, account, amount_fen) VALUES
            (p_request_id, 'purse:' || p_holder_id, -p_amount_fen),
            (p_request_id, 'merchant:' || p_merchant_id, p_amount_fen);
    END IF;
END $$;

-- Reverses an approved debit at most once: the original's row is locked and marked. A declined
-- original reverses to nothing. Unlike the service, the classic design keeps no tombstone for a
-- reversal that arrives before its original: that reversal is declined as not reversible.
CREATE OR REPLACE FUNCTION baseline.reverse(
    p_request_id text, p_original_request_id text, p_holder_id bigint, p_terminal_id text,
    OUT outcome_code smallint, OUT reason_code smallint, OUT purse_after bigint, OUT refunded_fen bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_balance bigint;
    v_original baseline.transactions%ROWTYPE;
BEGIN
    SELECT p.balance_fen INTO v_balance FROM baseline.purses p WHERE p.holder_id = p_holder_id FOR UPDATE;
    SELECT t.outcome, t.reason, t.balance_after, t.amount_fen INTO outcome_code, reason_code, purse_after, refunded_fen
      FROM baseline.transactions t WHERE t.request_id = p_request_id;
    IF FOUND THEN
        RETURN;
    END IF;
    SELECT * INTO v_original FROM baseline.transactions t WHERE t.request_id = p_original_request_id FOR UPDATE;
    outcome_code := 2;
    purse_after := coalesce(v_balance, 0);
    refunded_fen := 0;
    IF v_balance IS NULL THEN
        reason_code := 2;   -- unknown card
    ELSIF v_original.request_id IS NULL OR v_original.kind <> 1 OR v_original.holder_id <> p_holder_id THEN
        reason_code := 10;  -- not reversible
    ELSIF v_original.reversed_by IS NOT NULL THEN
        reason_code := 8;   -- already reversed
    ELSE
        outcome_code := 1;
        reason_code := 0;
        UPDATE baseline.transactions t SET reversed_by = p_request_id WHERE t.request_id = p_original_request_id;
        IF v_original.outcome = 1 THEN
            refunded_fen := v_original.amount_fen;
            purse_after := v_balance + refunded_fen;
            UPDATE baseline.purses p SET balance_fen = purse_after WHERE p.holder_id = p_holder_id;
            UPDATE baseline.merchants m SET balance_fen = m.balance_fen - refunded_fen WHERE m.merchant_id = v_original.merchant_id;
        END IF;
    END IF;
    INSERT INTO baseline.transactions (request_id, kind, holder_id, merchant_id, terminal_id, amount_fen, outcome, reason, balance_after, original_request_id)
    VALUES (p_request_id, 2, p_holder_id, v_original.merchant_id, p_terminal_id, refunded_fen, outcome_code, reason_code, purse_after, p_original_request_id);
    IF refunded_fen > 0 THEN
        INSERT INTO baseline.postings (request_id, account, amount_fen) VALUES
            (p_request_id, 'merchant:' || v_original.merchant_id, -refunded_fen),
            (p_request_id, 'purse:' || p_holder_id, refunded_fen);
    END IF;
END $$;
