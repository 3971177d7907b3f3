-- The table types the SQL Server provider (src/CampusCard.Clearing.Journal.SqlServer) sends its table-valued
-- parameters as: a batch of transactions in one round trip, lists of ids, and the rows of codes and holder_fields the
-- migrator writes. PostgreSQL needs none of these (it takes arrays and unnest()), so this file has no PostgreSQL twin;
-- SqlServerSchemaTests compares tables and views only.

-- A batch of decided transactions, in the column order of SqlServerTransactionRows.Columns: lengths as wide as the
-- table's columns, so an overlong value fails here as it would in the table. No key: the INSERT checks the table's.
CREATE TYPE dbo.transaction_rows AS TABLE (
    id                   bigint            NOT NULL,
    holder_id            bigint            NOT NULL,
    scope                nvarchar(64)      NOT NULL,
    request_id           nvarchar(128)     NOT NULL,
    kind                 smallint          NOT NULL,
    outcome              smallint          NOT NULL,
    reason               smallint          NOT NULL,
    effect               smallint          NOT NULL,
    amount_fen           bigint            NOT NULL,
    moved_fen            bigint            NOT NULL,
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
    caller_role          smallint          NOT NULL,
    caller               nvarchar(200)     NOT NULL,
    card_no              nvarchar(64)      NOT NULL,
    code                 smallint          NOT NULL,
    flag                 bit               NOT NULL,
    limit_fen            bigint            NOT NULL,
    pin                  smallint          NOT NULL,
    card_state           smallint          NOT NULL,
    holder_after         varbinary(2000)   NULL,
    side_from_kind       smallint          NULL,
    side_from_owner      bigint            NULL,
    side_to_kind         smallint          NULL,
    side_to_owner        bigint            NULL,
    side_fen             bigint            NOT NULL,
    held_after_fen       bigint            NOT NULL,
    ref                  bigint            NOT NULL,
    occurred_at          datetimeoffset(6) NULL,
    deadline             datetimeoffset(6) NULL,
    auto_topup_fen       bigint            NOT NULL
);
GO

-- A set of numbers (a terminal's offline sequence numbers).
CREATE TYPE dbo.bigint_list AS TABLE (
    value  bigint NOT NULL PRIMARY KEY
);
GO

-- The rows of codes, from Domain/CodeTable.cs.
CREATE TYPE dbo.code_rows AS TABLE (
    type  nvarchar(64)  NOT NULL,
    code  smallint      NOT NULL,
    name  nvarchar(200) NOT NULL,
    PRIMARY KEY (type, code)
);
GO

-- The rows of holder_fields, from Domain/Formats/HolderFormat.cs.
CREATE TYPE dbo.holder_field_rows AS TABLE (
    version   smallint     NOT NULL,
    name      nvarchar(64) NOT NULL,
    position  smallint     NOT NULL,
    PRIMARY KEY (version, name)
);
GO
