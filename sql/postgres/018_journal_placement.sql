-- Journal placement (Domain/JournalPlacement.cs; docs/scaling.md): a deployment's campuses spread over several journal
-- databases, each campus's journal and registry in one of them. Each database holds its number: the main one's
-- (ConnectionStrings:Journal, which holds the campuses) is 0, another's is configured (Journal:Databases:<name>:Number).
-- The migrator writes it once (place_journal_database) and every start compares it with the configuration, so a
-- connection string that names another journal database than the one configured is refused.
CREATE TABLE journal_database (
    only_row   boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    number     smallint    NOT NULL CHECK (number BETWEEN 0 AND 1023),
    placed_at  timestamptz NOT NULL DEFAULT now()
);

-- The database of a campus's journal and registry, in the main database's campuses (campus 1 and every campus of the
-- releases before: the main one). A campus's row is copied into its own database, whose rows name it.
ALTER TABLE campuses ADD COLUMN journal_database smallint NOT NULL DEFAULT 0 CHECK (journal_database BETWEEN 0 AND 1023);

-- Places the database, once; returns the number it holds (the first placement's). A holder id and a merchant number tell
-- their database: database n numbers them from n * 2^40 + 1 to (n + 1) * 2^40 - 1 (JournalPlacement.IdSpan); the main
-- database's keep their numbers from 1. A database other than the main one is placed only while it holds no holder and
-- no merchant, whose numbers would be outside its range.
CREATE FUNCTION place_journal_database(n smallint) RETURNS smallint LANGUAGE plpgsql AS $$
DECLARE
    span constant bigint := 1099511627776;
    placed smallint;
BEGIN
    LOCK TABLE journal_database IN EXCLUSIVE MODE;
    SELECT number INTO placed FROM journal_database;
    IF FOUND THEN
        RETURN placed;
    END IF;
    IF n > 0 THEN
        IF EXISTS (SELECT 1 FROM holders) OR EXISTS (SELECT 1 FROM merchants) THEN
            RAISE EXCEPTION 'this database holds holders or merchants numbered from 1: it cannot become journal database %', n;
        END IF;
        EXECUTE format('ALTER TABLE holders ALTER COLUMN id SET START WITH %s SET MINVALUE %s SET MAXVALUE %s RESTART', n * span + 1, n * span + 1, (n + 1) * span - 1);
        EXECUTE format('ALTER TABLE merchants ALTER COLUMN no SET START WITH %s SET MINVALUE %s SET MAXVALUE %s RESTART', n * span + 1, n * span + 1, (n + 1) * span - 1);
    ELSE
        EXECUTE format('ALTER TABLE holders ALTER COLUMN id SET MAXVALUE %s', span - 1);
        EXECUTE format('ALTER TABLE merchants ALTER COLUMN no SET MAXVALUE %s', span - 1);
    END IF;
    INSERT INTO journal_database (number) VALUES (n);
    RETURN n;
END $$;
