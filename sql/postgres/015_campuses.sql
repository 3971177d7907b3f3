-- Campuses (校区, the tenants of a deployment; docs/campuses.md). A person number, a card number, a merchant, a terminal
-- and a subsidy batch are unique within their campus: the same student number at two campuses is two people. Every row
-- of the registry and every transaction carries its campus's number; the journal's views are per campus by row-level
-- security (a later migration).
--
-- What was here before is campus 1, whose code the service's configuration names (Campuses:Default, "default"): the
-- migrator writes it at every start. Campus 1's request scopes and hot-state tags are those of the releases before
-- campuses ("p:2021001"); another campus's carry its number ("2/p:2021001", Domain/Campuses.cs), so nothing of the
-- journal is rewritten here.
CREATE TABLE campuses (
    campus_no   smallint    PRIMARY KEY CHECK (campus_no BETWEEN 1 AND 32767),
    code        text        NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL
);
INSERT INTO campuses (campus_no, code, name, created_at, created_by) VALUES (1, 'default', 'default', now(), 'migration 015');

-- An identifier as a key across campuses, as Campuses.Qualify makes it: a holder's partition tag, a request's scope.
CREATE FUNCTION campus_key(campus smallint, id text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN campus = 1 THEN id ELSE campus::text || '/' || id END
$$;

-- The number a request scope names, without its campus and kind ('2/c:123' and 'c:123' -> '123').
CREATE FUNCTION scope_number(scope text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT substr(scope, strpos(scope, '/') + 3)
$$;

ALTER TABLE holders ADD COLUMN campus_no smallint NOT NULL DEFAULT 1 REFERENCES campuses (campus_no);
ALTER TABLE holders DROP CONSTRAINT holders_person_no_key;
ALTER TABLE holders ADD CONSTRAINT holders_campus_person_no_key UNIQUE (campus_no, person_no);

ALTER TABLE merchants ADD COLUMN campus_no smallint NOT NULL DEFAULT 1 REFERENCES campuses (campus_no);
ALTER TABLE merchants DROP CONSTRAINT merchants_merchant_id_key;
ALTER TABLE merchants ADD CONSTRAINT merchants_campus_merchant_id_key UNIQUE (campus_no, merchant_id);

ALTER TABLE cards ADD COLUMN campus_no smallint NOT NULL DEFAULT 1 REFERENCES campuses (campus_no);
ALTER TABLE cards DROP CONSTRAINT cards_pkey;
ALTER TABLE cards ADD CONSTRAINT cards_pkey PRIMARY KEY (campus_no, card_no);

ALTER TABLE terminals ADD COLUMN campus_no smallint NOT NULL DEFAULT 1 REFERENCES campuses (campus_no);
ALTER TABLE terminals DROP CONSTRAINT terminals_pkey;
ALTER TABLE terminals ADD CONSTRAINT terminals_pkey PRIMARY KEY (campus_no, terminal_id);

ALTER TABLE subsidy_batches ADD COLUMN campus_no smallint NOT NULL DEFAULT 1 REFERENCES campuses (campus_no);
ALTER TABLE subsidy_batches DROP CONSTRAINT subsidy_batches_pkey;
ALTER TABLE subsidy_batches ADD CONSTRAINT subsidy_batches_pkey PRIMARY KEY (campus_no, batch_id);

-- A transaction's campus: the holder's, or the merchant's for what a merchant asks for (a settlement). (A column with a
-- constant default costs no rewrite of the table.)
ALTER TABLE transactions ADD COLUMN campus_no smallint NOT NULL DEFAULT 1;

-- An account's campus: a holder's or a merchant's; 0 for the system accounts (bank clearing, subsidy fund, fee income,
-- refunds payable, suspense), whose chart every campus shares and whose balances a campus reads from its own
-- transactions.
ALTER TABLE accounts ADD COLUMN campus_no smallint NOT NULL DEFAULT 1;
UPDATE accounts SET campus_no = 0 WHERE kind = 5;

-- The settings SQL reads (the UTC offset of the finance views' times), per campus now.
ALTER TABLE campus_settings DROP CONSTRAINT campus_settings_id_check;
ALTER TABLE campus_settings RENAME COLUMN id TO campus_no;
ALTER TABLE campus_settings ADD CONSTRAINT campus_settings_campus_fkey FOREIGN KEY (campus_no) REFERENCES campuses (campus_no);
CREATE OR REPLACE FUNCTION campus_utc_offset() RETURNS interval LANGUAGE sql STABLE AS $$
    SELECT utc_offset FROM campus_settings WHERE campus_no = 1
$$;
