-- Card lifecycle decided like money (DESIGN.md invariant 9): what a card may do, which card is live, the PIN's
-- failures and the limits are hot state that the deciders change and the journal keeps, not columns of holders.
-- A decision that changes more than balances stores the holder after it (holder_after, the hot store's holder
-- format, Domain/Formats/HolderFormat.cs); a rebuild takes each holder's newest one. Card numbers are the card
-- office's now, kept in cards as they are issued; secrets are salted slow hashes, never in the journal.

-- The card number the release before derived from a holder id and card issue (its CardNumber.cs).
CREATE FUNCTION pg_temp.card_number_before_009(holder bigint, issue integer) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
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

-- Every card number issued, and whose it is: a card, once issued, always names its holder (the live one is the hot
-- state's). Taken before the decision that issues it, so a number is never issued twice.
CREATE TABLE cards (
    card_no    text        PRIMARY KEY,
    holder_id  bigint      NOT NULL REFERENCES holders (id),
    issued_at  timestamptz NOT NULL
);
CREATE INDEX cards_holder ON cards (holder_id);

-- Accounts opened before lifecycle decisions have no holder_after: their one card is live and active, with their
-- type's defaults (legacy_card names it).
ALTER TABLE holders ADD COLUMN legacy_card text;
UPDATE holders SET legacy_card = pg_temp.card_number_before_009(id, card_issue);
INSERT INTO cards (card_no, holder_id, issued_at) SELECT legacy_card, id, opened_at FROM holders;
ALTER TABLE holders DROP COLUMN card_issue, DROP COLUMN card_state;

-- The ID number is kept only as a salted slow hash (Domain/Pins.cs), to check it at a kiosk (handbook 4.2).
ALTER TABLE holders ADD COLUMN id_number_hash text;

-- A holder's secrets as salted slow hashes: 1 the card PIN, 2 the default PIN (for a reset), 3 the payment password.
-- txn is the transaction that set it: a change is stored only over one decided before it, so a late retry of an
-- older change never undoes a newer one.
CREATE TABLE secrets (
    holder_id   bigint      NOT NULL REFERENCES holders (id),
    kind        smallint    NOT NULL CHECK (kind BETWEEN 1 AND 3),
    hash        text        NOT NULL,
    txn         bigint      NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (holder_id, kind)
);

-- A transaction's content beyond money (Domain/ClearingRequest.cs): the card issued or named, a reason code (freeze,
-- replacement, card type), a flag, a second amount (a daily limit), and the PIN check the service made; then the
-- card state after the decision, and the holder after it when it changed more than balances.
ALTER TABLE transactions
    ADD COLUMN card_no      text     NOT NULL DEFAULT '',
    ADD COLUMN code         smallint NOT NULL DEFAULT 0,
    ADD COLUMN flag         boolean  NOT NULL DEFAULT false,
    ADD COLUMN limit_fen    bigint   NOT NULL DEFAULT 0,
    ADD COLUMN pin          smallint NOT NULL DEFAULT 0,
    ADD COLUMN card_state   smallint NOT NULL DEFAULT 0,
    ADD COLUMN holder_after bytea;

-- A rebuild reads each holder's newest state; the card-status feed reads state changes in decision order.
CREATE INDEX transactions_holder_states ON transactions (holder_id, id) WHERE holder_after IS NOT NULL;
CREATE INDEX transactions_state_changes ON transactions (id) WHERE holder_after IS NOT NULL;

-- The engine's codes by name (Domain/Enums.cs), written by the migrator from the enums at every start, so views and
-- finance's queries can show names; nothing here is typed by hand.
CREATE TABLE codes (
    type  text     NOT NULL,
    code  smallint NOT NULL,
    name  text     NOT NULL,
    PRIMARY KEY (type, code)
);
