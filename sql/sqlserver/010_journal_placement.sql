-- SQL Server 2019 (T-SQL): sql/postgres/018, journal placement (Domain/JournalPlacement.cs; docs/scaling.md): a
-- deployment's campuses spread over several journal databases, each campus's journal and registry in one of them. Each
-- database holds its number: the main one's (ConnectionStrings:Journal, which holds the campuses) is 0, another's is
-- configured (Journal:Databases:<name>:Number). The migrator writes it once (place_journal_database) and every start
-- compares it with the configuration.
--
-- Differences from the PostgreSQL text, not in the columns: the one-row rule is a bit column checked to be 1; the
-- database's range of holder ids and merchant numbers is where their identities are reseeded (DBCC CHECKIDENT), with no
-- upper bound (PostgreSQL: the identities' MINVALUE and MAXVALUE); the placement is a procedure whose result is a row.
CREATE TABLE dbo.journal_database (
    only_row   bit               NOT NULL CONSTRAINT journal_database_pkey PRIMARY KEY
               CONSTRAINT journal_database_only_row_default DEFAULT 1 CONSTRAINT journal_database_only_row_check CHECK (only_row = 1),
    number     smallint          NOT NULL CONSTRAINT journal_database_number_check CHECK (number BETWEEN 0 AND 1023),
    placed_at  datetimeoffset(6) NOT NULL CONSTRAINT journal_database_placed_at_default DEFAULT SYSDATETIMEOFFSET()
);

-- The database of a campus's journal and registry, in the main database's campuses (campus 1 and every campus of the
-- releases before: the main one). A campus's row is copied into its own database, whose rows name it.
ALTER TABLE dbo.campuses ADD journal_database smallint NOT NULL CONSTRAINT campuses_journal_database_default DEFAULT 0
    CONSTRAINT campuses_journal_database_check CHECK (journal_database BETWEEN 0 AND 1023);
GO

-- Places the database, once; its one row is the number it holds (the first placement's). A holder id and a merchant
-- number tell their database: database n numbers them from n * 2^40 + 1 (JournalPlacement.IdSpan); the main database's
-- keep their numbers from 1. A database other than the main one is placed only while it holds no holder and no merchant.
CREATE PROCEDURE dbo.place_journal_database @n smallint
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @first bigint = CAST(@n AS bigint) * 1099511627776 + 1;
    DECLARE @placed smallint;
    BEGIN TRANSACTION;
    SELECT @placed = number FROM dbo.journal_database WITH (UPDLOCK, HOLDLOCK);
    IF @placed IS NULL
    BEGIN
        IF @n > 0 AND (EXISTS (SELECT 1 FROM dbo.holders) OR EXISTS (SELECT 1 FROM dbo.merchants))
            THROW 51020, N'this database holds holders or merchants numbered from 1: only the main journal database may', 1;
        IF @n > 0
        BEGIN
            DBCC CHECKIDENT (N'dbo.holders', RESEED, @first) WITH NO_INFOMSGS;
            DBCC CHECKIDENT (N'dbo.merchants', RESEED, @first) WITH NO_INFOMSGS;
        END;
        INSERT INTO dbo.journal_database (number) VALUES (@n);
        SET @placed = @n;
    END;
    COMMIT TRANSACTION;
    SELECT @placed AS number;
END;
