-- SQL Server 2019 (T-SQL) journal schema: the chart of accounts, the registry of cardholders and merchants, the
-- double-entry journal and its integrity rules. Codes (kind, outcome, reason, ...) are the numeric values of the
-- enums in src/CampusCard.Clearing.Domain/Enums.cs and protos/campuscard/clearing/v1/common.proto.
--
-- This is the shape sql/postgres/001..011 arrive at, written once for a fresh database: the PostgreSQL files carry
-- history (the postings table that became the transactions' own legs, columns moved off holders, renamed codes,
-- planner settings) that a new SQL Server install does not need. A change to the journal from here on is a new
-- numbered file in both sql/postgres/ and sql/sqlserver/, and SqlServerSchemaTests checks that both providers define
-- the same tables, views and columns.
--
-- As with PostgreSQL, the migrator (not these files) writes the rows of codes and holder_fields from the enums and
-- Domain/Formats/HolderFormat.cs at every start. Batches are separated by GO; docs/sqlserver.md has the database
-- settings (READ_COMMITTED_SNAPSHOT on, delayed durability off), the indexes and how to partition the journal by date.
--
-- Types: text -> nvarchar (bounded where a column is a key or indexed, above the service's own length limits, so
-- rows stay in-row), timestamptz -> datetimeoffset(6), boolean -> bit, bytea -> varbinary.

-- The migrator's record of applied files (PostgresMigrator creates its own in code; here it may come first too).
IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
CREATE TABLE dbo.schema_migrations (
    version     int               NOT NULL CONSTRAINT schema_migrations_pkey PRIMARY KEY,
    name        nvarchar(200)     NOT NULL,
    checksum    nvarchar(100)     NOT NULL,
    applied_at  datetimeoffset(6) NOT NULL CONSTRAINT schema_migrations_applied_at_default DEFAULT SYSDATETIMEOFFSET()
);
GO

-- A person (student or staff number) has exactly one account. What its card may do, which card is live, its PIN's
-- failures and limits are hot state the journal keeps (transactions.holder_after), not columns here.
CREATE TABLE dbo.holders (
    id              bigint            IDENTITY(1, 1) NOT NULL CONSTRAINT holders_pkey PRIMARY KEY,
    person_no       nvarchar(64)      NOT NULL CONSTRAINT holders_person_no_key UNIQUE,
    name            nvarchar(200)     NOT NULL,
    card_type       smallint          NOT NULL CONSTRAINT holders_card_type_check CHECK (card_type BETWEEN 1 AND 4),
    opened_at       datetimeoffset(6) NOT NULL,
    -- The card number the release before PostgreSQL migration 009 derived from a holder id and card issue.
    legacy_card     nvarchar(64)      NULL,
    -- The ID number only as a salted slow hash (Domain/Pins.cs).
    id_number_hash  nvarchar(200)     NULL
);

CREATE TABLE dbo.merchants (
    no           bigint            IDENTITY(1, 1) NOT NULL CONSTRAINT merchants_pkey PRIMARY KEY,
    merchant_id  nvarchar(64)      NOT NULL CONSTRAINT merchants_merchant_id_key UNIQUE,
    name         nvarchar(200)     NOT NULL,
    category     smallint          NOT NULL CONSTRAINT merchants_category_check CHECK (category BETWEEN 1 AND 11),
    opened_at    datetimeoffset(6) NOT NULL
);

-- The chart of accounts. An account is named by its kind and owner:
--   1 purse, 2 e-wallet, 3 pending, 6 hold -> owner = holders.id
--   4 merchant                             -> owner = merchants.no
--   5 system                               -> owner = the SystemAccount code
CREATE TABLE dbo.accounts (
    kind       smallint          NOT NULL CONSTRAINT accounts_kind_check CHECK (kind BETWEEN 1 AND 6),
    owner      bigint            NOT NULL,
    name       nvarchar(200)     NOT NULL,
    opened_at  datetimeoffset(6) NOT NULL CONSTRAINT accounts_opened_at_default DEFAULT SYSDATETIMEOFFSET(),
    CONSTRAINT accounts_pkey PRIMARY KEY (kind, owner)
);

INSERT INTO dbo.accounts (kind, owner, name) VALUES
    (5, 1, N'bank clearing'),
    (5, 2, N'subsidy fund'),
    (5, 3, N'fee income'),
    (5, 4, N'refunds payable'),
    (5, 5, N'suspense');

-- Every card number issued, and whose it is: a card, once issued, always names its holder.
CREATE TABLE dbo.cards (
    card_no    nvarchar(64)      NOT NULL CONSTRAINT cards_pkey PRIMARY KEY,
    holder_id  bigint            NOT NULL CONSTRAINT cards_holder_id_fkey REFERENCES dbo.holders (id),
    issued_at  datetimeoffset(6) NOT NULL
);
CREATE INDEX cards_holder ON dbo.cards (holder_id);

-- A holder's secrets as salted slow hashes: 1 the card PIN, 2 the default PIN (for a reset), 3 the payment password.
-- txn is the transaction that set it: a change is stored only over one decided before it.
CREATE TABLE dbo.secrets (
    holder_id   bigint            NOT NULL CONSTRAINT secrets_holder_id_fkey REFERENCES dbo.holders (id),
    kind        smallint          NOT NULL CONSTRAINT secrets_kind_check CHECK (kind BETWEEN 1 AND 3),
    hash        nvarchar(200)     NOT NULL,
    txn         bigint            NOT NULL,
    changed_at  datetimeoffset(6) NOT NULL,
    CONSTRAINT secrets_pkey PRIMARY KEY (holder_id, kind)
);

-- The terminals registered to merchants; a revoked one says when and by whom.
CREATE TABLE dbo.terminals (
    terminal_id    nvarchar(64)      NOT NULL CONSTRAINT terminals_pkey PRIMARY KEY,
    merchant_no    bigint            NOT NULL CONSTRAINT terminals_merchant_no_fkey REFERENCES dbo.merchants (no),
    registered_at  datetimeoffset(6) NOT NULL,
    registered_by  nvarchar(200)     NOT NULL,
    revoked_at     datetimeoffset(6) NULL,
    revoked_by     nvarchar(200)     NULL,
    CONSTRAINT terminals_check CHECK ((revoked_at IS NULL AND revoked_by IS NULL) OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL))
);

-- Subsidy batches: who uploaded one, and until when its subsidies may be claimed before they are recalled.
CREATE TABLE dbo.subsidy_batches (
    batch_id    nvarchar(128)     NOT NULL CONSTRAINT subsidy_batches_pkey PRIMARY KEY,
    deadline    datetimeoffset(6) NOT NULL,
    memo        nvarchar(400)     NOT NULL CONSTRAINT subsidy_batches_memo_default DEFAULT N'',
    created_by  nvarchar(200)     NOT NULL,
    created_at  datetimeoffset(6) NOT NULL
);

-- The engine's codes by name (Domain/Enums.cs), written by the migrator at every start.
CREATE TABLE dbo.codes (
    type  nvarchar(64)  NOT NULL,
    code  smallint      NOT NULL,
    name  nvarchar(200) NOT NULL,
    CONSTRAINT codes_pkey PRIMARY KEY (type, code)
);

-- The holder format's fields by position (Domain/Formats/HolderFormat.cs), written by the migrator at every start.
CREATE TABLE dbo.holder_fields (
    version   smallint      NOT NULL,
    name      nvarchar(64)  NOT NULL,
    position  smallint      NOT NULL,
    CONSTRAINT holder_fields_pkey PRIMARY KEY (version, name)
);

-- Every decided request, approved or declined: an answer is durable only once it is here. id is handed out by the
-- hot store in decision order. (scope, request_id) is the caller's idempotency key. A transaction moves one amount
-- between two accounts (from -> to, moved_fen) and at most one more (side_from -> side_to, side_fen, a fee say):
-- its postings are its own legs, balanced by construction; the view postings lists them.
CREATE TABLE dbo.transactions (
    id                   bigint            NOT NULL,
    holder_id            bigint            NOT NULL,
    request_id           nvarchar(128)     NOT NULL,
    kind                 smallint          NOT NULL,
    outcome              smallint          NOT NULL CONSTRAINT transactions_outcome_check CHECK (outcome IN (1, 2)),
    reason               smallint          NOT NULL,
    effect               smallint          NOT NULL,
    amount_fen           bigint            NOT NULL,
    moved_fen            bigint            NOT NULL CONSTRAINT transactions_moved_fen_check CHECK (moved_fen >= 0),
    purse_after_fen      bigint            NOT NULL,
    wallet_after_fen     bigint            NOT NULL,
    pending_after_fen    bigint            NOT NULL,
    fingerprint          bigint            NOT NULL,
    terminal_id          nvarchar(64)      NOT NULL,
    merchant_id          nvarchar(64)      NOT NULL,
    merchant_no          bigint            NOT NULL,
    original_request_id  nvarchar(128)     NOT NULL,
    source               smallint          NOT NULL,
    direction            smallint          NOT NULL,
    channel              nvarchar(64)      NOT NULL,
    memo                 nvarchar(400)     NOT NULL,
    business_day         int               NOT NULL,
    decided_at           datetimeoffset(6) NOT NULL,
    from_kind            smallint          NULL,
    from_owner           bigint            NULL,
    to_kind              smallint          NULL,
    to_owner             bigint            NULL,
    scope                nvarchar(64)      NOT NULL,
    caller_role          smallint          NOT NULL CONSTRAINT transactions_caller_role_default DEFAULT 0,
    caller               nvarchar(200)     NOT NULL CONSTRAINT transactions_caller_default DEFAULT N'',
    card_no              nvarchar(64)      NOT NULL CONSTRAINT transactions_card_no_default DEFAULT N'',
    code                 smallint          NOT NULL CONSTRAINT transactions_code_default DEFAULT 0,
    flag                 bit               NOT NULL CONSTRAINT transactions_flag_default DEFAULT 0,
    limit_fen            bigint            NOT NULL CONSTRAINT transactions_limit_fen_default DEFAULT 0,
    pin                  smallint          NOT NULL CONSTRAINT transactions_pin_default DEFAULT 0,
    card_state           smallint          NOT NULL CONSTRAINT transactions_card_state_default DEFAULT 0,
    -- The holder after the decision, in the hot store's holder format (a version byte and 8-byte fields, about 200
    -- bytes): bounded rather than varbinary(max), so it stays in-row and filtered indexes may test it.
    holder_after         varbinary(2000)   NULL,
    side_from_kind       smallint          NULL,
    side_from_owner      bigint            NULL,
    side_to_kind         smallint          NULL,
    side_to_owner        bigint            NULL,
    side_fen             bigint            NOT NULL CONSTRAINT transactions_side_fen_default DEFAULT 0,
    held_after_fen       bigint            NOT NULL CONSTRAINT transactions_held_after_fen_default DEFAULT 0,
    ref                  bigint            NOT NULL CONSTRAINT transactions_ref_default DEFAULT 0,
    occurred_at          datetimeoffset(6) NULL,
    deadline             datetimeoffset(6) NULL,
    auto_topup_fen       bigint            NOT NULL CONSTRAINT transactions_auto_topup_fen_default DEFAULT 0,
    CONSTRAINT transactions_pkey PRIMARY KEY CLUSTERED (id),
    -- An approved transaction that moved money names two different accounts; any other names none.
    CONSTRAINT transactions_legs CHECK (
        (outcome = 1 AND moved_fen > 0
            AND from_kind IS NOT NULL AND from_owner IS NOT NULL AND to_kind IS NOT NULL AND to_owner IS NOT NULL
            AND (from_kind <> to_kind OR from_owner <> to_owner))
        OR (NOT (outcome = 1 AND moved_fen > 0)
            AND from_kind IS NULL AND from_owner IS NULL AND to_kind IS NULL AND to_owner IS NULL)),
    -- Likewise the second amount: two different accounts when it moved, none and zero otherwise.
    CONSTRAINT transactions_side_legs CHECK (
        (outcome = 1 AND side_fen > 0
            AND side_from_kind IS NOT NULL AND side_from_owner IS NOT NULL AND side_to_kind IS NOT NULL AND side_to_owner IS NOT NULL
            AND (side_from_kind <> side_to_kind OR side_from_owner <> side_to_owner))
        OR (NOT (outcome = 1 AND side_fen > 0)
            AND side_from_kind IS NULL AND side_from_owner IS NULL AND side_to_kind IS NULL AND side_to_owner IS NULL
            AND side_fen = 0))
);

-- The idempotency key: one transaction per (scope, request id).
CREATE UNIQUE INDEX transactions_scope_request ON dbo.transactions (scope, request_id);
CREATE INDEX transactions_decided_at ON dbo.transactions (decided_at);
-- Statements, balances and settlement read an account's legs by day.
CREATE INDEX transactions_from_account ON dbo.transactions (from_kind, from_owner, business_day, id) INCLUDE (moved_fen)
    WHERE from_kind IS NOT NULL;
CREATE INDEX transactions_to_account ON dbo.transactions (to_kind, to_owner, business_day, id) INCLUDE (moved_fen)
    WHERE to_kind IS NOT NULL;
-- A rebuild reads each holder's newest state; the card-status feed reads state changes in decision order.
CREATE INDEX transactions_holder_states ON dbo.transactions (holder_id, id) WHERE holder_after IS NOT NULL;
CREATE INDEX transactions_state_changes ON dbo.transactions (id) WHERE holder_after IS NOT NULL;
-- The kinds that act on an earlier request of their scope (reversal, recall, refund, settle, release) are found by it.
CREATE INDEX transactions_acting_on_originals ON dbo.transactions (scope, original_request_id) WHERE kind IN (2, 19, 24, 27, 28);
-- Open holds by deadline; auto top-up requests in the order they were opened, and their answers.
CREATE INDEX transactions_hold_deadlines ON dbo.transactions (deadline) WHERE kind = 26 AND outcome = 1;
CREATE INDEX transactions_auto_topups ON dbo.transactions (id) WHERE auto_topup_fen > 0;
CREATE INDEX transactions_auto_topup_answers ON dbo.transactions (ref) WHERE kind = 3 AND ref > 0;
-- A subsidy batch's rows, for its recall.
CREATE INDEX transactions_subsidies ON dbo.transactions (request_id) WHERE kind = 18;
-- Offline records by their terminal and sequence.
CREATE INDEX transactions_offline ON dbo.transactions (terminal_id, ref) WHERE kind = 25;
GO

-- Nothing edits or removes a transaction: corrections are new transactions. (TRUNCATE TABLE fires no trigger; it
-- needs ALTER on the table, which the service's login does not have: docs/sqlserver.md.)
CREATE TRIGGER dbo.transactions_append_only ON dbo.transactions INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51001, N'the journal is append-only: UPDATE and DELETE on transactions are not allowed', 1;
END;
GO

-- Accounts are closed, never removed: the journal's legs rely on them being there.
CREATE TRIGGER dbo.accounts_not_deleted ON dbo.accounts INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51001, N'the journal is append-only: DELETE on accounts is not allowed', 1;
END;
GO

-- Every leg of every new transaction names an account in the chart of accounts: checked once per statement,
-- set-based, instead of four foreign keys per row. An error in a trigger rolls the whole statement back.
CREATE TRIGGER dbo.transactions_accounts ON dbo.transactions AFTER INSERT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @bad bigint;
    SELECT TOP (1) @bad = l.id
      FROM (SELECT kind, owner, MIN(id) AS id
              FROM (SELECT from_kind AS kind, from_owner AS owner, id FROM inserted WHERE from_kind IS NOT NULL
                    UNION ALL
                    SELECT to_kind, to_owner, id FROM inserted WHERE to_kind IS NOT NULL
                    UNION ALL
                    SELECT side_from_kind, side_from_owner, id FROM inserted WHERE side_from_kind IS NOT NULL
                    UNION ALL
                    SELECT side_to_kind, side_to_owner, id FROM inserted WHERE side_to_kind IS NOT NULL) AS legs
             GROUP BY kind, owner) AS l
     WHERE NOT EXISTS (SELECT 1 FROM dbo.accounts AS a WHERE a.kind = l.kind AND a.owner = l.owner);
    IF @bad IS NOT NULL
    BEGIN
        DECLARE @message nvarchar(200) = CONCAT(N'transaction ', @bad, N' names an account that is not in the chart of accounts');
        THROW 51002, @message, 1;
    END;
END;
GO
