-- A request id is unique in the journal for ever, within its scope: the card or the person the request named,
-- as text ("c:" or "p:" and the number). The scope is known before any lookup, so a request for a person
-- without an account yet and its retry after the account was opened share it, and two unknown cards never do.
-- Until now the scope was the holder id (0 for every unknown card and person) and only the hot store's records,
-- kept for an idempotency window, told a retry; the journal now refuses a second transaction under one
-- (scope, request id), and a retry whose record expired or was lost is answered from here.
ALTER TABLE transactions RENAME COLUMN scope TO holder_id;
ALTER TABLE transactions
    ADD COLUMN scope text,
    -- Who asked (Domain/Caller.cs: 1 terminal ... 7 operator; 0 before callers were recorded).
    ADD COLUMN caller_role smallint NOT NULL DEFAULT 0,
    ADD COLUMN caller text NOT NULL DEFAULT '';

-- The card number the previous release derived from a holder id and card issue (CardNumber.cs: nine digits of
-- the holder, two of the issue, a Luhn check digit): what its terminals' requests named.
CREATE FUNCTION pg_temp.card_number(holder bigint, issue integer) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    body text := lpad(holder::text, 9, '0') || lpad(issue::text, 2, '0');
    total integer := 0;
    digit integer;
BEGIN
    FOR i IN 0 .. length(body) - 1 LOOP
        digit := substr(body, length(body) - i, 1)::integer;
        IF i % 2 = 0 THEN
            digit := digit * 2;
            IF digit > 9 THEN digit := digit - 9; END IF;
        END IF;
        total := total + digit;
    END LOOP;
    RETURN body || ((10 - total % 10) % 10)::text;
END $$;

-- Debits and reversals (kinds 1, 2) named a card, the others a person. A request decided for nobody (holder 0)
-- named a number the journal did not keep: it gets a scope of its own.
ALTER TABLE transactions DISABLE TRIGGER transactions_append_only;
UPDATE transactions t SET scope = CASE
    WHEN t.holder_id = 0 THEN (CASE WHEN t.kind IN (1, 2) THEN 'c:' ELSE 'p:' END) || 'legacy-' || t.id
    WHEN t.kind IN (1, 2) THEN 'c:' || pg_temp.card_number(t.holder_id, t.card_issue)
    ELSE 'p:' || (SELECT h.person_no FROM holders h WHERE h.id = t.holder_id)
END;
ALTER TABLE transactions ENABLE TRIGGER transactions_append_only;
ALTER TABLE transactions ALTER COLUMN scope SET NOT NULL;
-- The card is in the scope now; the issue was only ever used to check it.
ALTER TABLE transactions DROP COLUMN card_issue;

DO $$
DECLARE
    twice bigint;
BEGIN
    SELECT count(*) INTO twice FROM (SELECT 1 FROM transactions GROUP BY scope, request_id HAVING count(*) > 1) d;
    IF twice > 0 THEN
        RAISE EXCEPTION '% request ids are in the journal more than once (the hot store lost writes before this release); they must be reconciled by hand before the journal can refuse duplicates', twice;
    END IF;
END $$;

DROP INDEX transactions_request;
CREATE UNIQUE INDEX transactions_scope_request ON transactions (scope, request_id);
-- A debit's reversals (and a tombstone for a debit that has not arrived) are found by the debit's request id.
CREATE INDEX transactions_reversals ON transactions (scope, original_request_id) WHERE kind = 2;
