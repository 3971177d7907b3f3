-- The chart of accounts, the registry of cardholders and merchants, and the double-entry journal.
-- Codes (kind, outcome, reason, ...) are the numeric values of the enums in
-- src/CampusCard.Clearing.Domain/Enums.cs and protos/campuscard/clearing/v1/common.proto.

-- A person (student or staff number) has exactly one account and at most one live card.
-- The live card's number is derived from (id, card_issue); see CardNumber.cs.
CREATE TABLE holders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_no    text        NOT NULL UNIQUE,
    name         text        NOT NULL,
    card_type    smallint    NOT NULL CHECK (card_type BETWEEN 1 AND 4),
    card_issue   smallint    NOT NULL DEFAULT 0 CHECK (card_issue BETWEEN 0 AND 99),
    card_state   smallint    NOT NULL DEFAULT 1 CHECK (card_state BETWEEN 1 AND 4),
    opened_at    timestamptz NOT NULL
);

CREATE TABLE merchants (
    no           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id  text        NOT NULL UNIQUE,
    name         text        NOT NULL,
    category     smallint    NOT NULL CHECK (category BETWEEN 1 AND 6),
    opened_at    timestamptz NOT NULL
);

-- The chart of accounts. An account is named by its kind and owner:
--   1 purse, 2 e-wallet, 3 pending -> owner = holders.id
--   4 merchant                     -> owner = merchants.no
--   5 system                       -> owner = the SystemAccount code
CREATE TABLE accounts (
    kind       smallint    NOT NULL CHECK (kind BETWEEN 1 AND 5),
    owner      bigint      NOT NULL,
    name       text        NOT NULL,
    opened_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, owner)
);

INSERT INTO accounts (kind, owner, name) VALUES
    (5, 1, 'bank clearing'),
    (5, 2, 'subsidy fund'),
    (5, 3, 'fee income'),
    (5, 4, 'refunds payable'),
    (5, 5, 'suspense');

-- Every decided request, approved or declined: an answer is durable only once it is here.
-- id is handed out by the hot store in decision order. The request id is the caller's
-- idempotency key within the holder's scope; retries are recognised for the idempotency window,
-- so (scope, request_id) is indexed but not unique forever.
CREATE TABLE transactions (
    id                   bigint      PRIMARY KEY,
    scope                bigint      NOT NULL,
    request_id           text        NOT NULL,
    kind                 smallint    NOT NULL,
    outcome              smallint    NOT NULL CHECK (outcome IN (1, 2)),
    reason               smallint    NOT NULL,
    effect               smallint    NOT NULL,
    amount_fen           bigint      NOT NULL,
    moved_fen            bigint      NOT NULL CHECK (moved_fen >= 0),
    purse_after_fen      bigint      NOT NULL,
    wallet_after_fen     bigint      NOT NULL,
    pending_after_fen    bigint      NOT NULL,
    fingerprint          bigint      NOT NULL,
    card_issue           smallint    NOT NULL,
    terminal_id          text        NOT NULL,
    merchant_id          text        NOT NULL,
    merchant_no          bigint      NOT NULL,
    original_request_id  text        NOT NULL,
    source               smallint    NOT NULL,
    direction            smallint    NOT NULL,
    channel              text        NOT NULL,
    memo                 text        NOT NULL,
    business_day         integer     NOT NULL,
    decided_at           timestamptz NOT NULL
);

CREATE INDEX transactions_scope_request ON transactions (scope, request_id);
CREATE INDEX transactions_decided_at ON transactions (decided_at);
-- Daily merchant settlement reads a merchant's approved debits and reversals of a day.
CREATE INDEX transactions_merchant_day ON transactions (merchant_no, business_day) WHERE merchant_no <> 0 AND outcome = 1;

CREATE TABLE postings (
    transaction_id  bigint   NOT NULL REFERENCES transactions (id),
    account_kind    smallint NOT NULL,
    account_owner   bigint   NOT NULL,
    amount_fen      bigint   NOT NULL CHECK (amount_fen <> 0),
    PRIMARY KEY (transaction_id, account_kind, account_owner),
    FOREIGN KEY (account_kind, account_owner) REFERENCES accounts (kind, owner)
);

-- Statements and balances read an account's postings.
CREATE INDEX postings_account ON postings (account_kind, account_owner, transaction_id) INCLUDE (amount_fen);

-- Invariant 1: the postings of every transaction sum to zero. A transaction's postings are
-- written by one statement, so checking each statement's new rows is enough.
CREATE FUNCTION postings_balance_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced bigint;
BEGIN
    SELECT transaction_id INTO unbalanced
      FROM new_postings GROUP BY transaction_id HAVING sum(amount_fen) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'postings of transaction % do not sum to zero', unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER postings_balance AFTER INSERT ON postings
    REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION postings_balance_check();

-- Nothing edits or removes a posting or a transaction: corrections are new transactions.
CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER transactions_no_truncate BEFORE TRUNCATE ON transactions
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();

-- Balances are derived from postings, never stored beside them.
CREATE VIEW account_balances AS
    SELECT account_kind AS kind, account_owner AS owner, sum(amount_fen) AS balance_fen
      FROM postings GROUP BY account_kind, account_owner;

-- Finance's trial balance: one row per account kind; the total of all rows is zero.
CREATE VIEW trial_balance AS
    SELECT kind, count(*) AS accounts, sum(balance_fen) AS balance_fen
      FROM account_balances GROUP BY kind;
