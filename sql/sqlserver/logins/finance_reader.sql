-- The read-only finance role of docs/finance.md on SQL Server (docs/sqlserver.md). Not a migration: the journal's owner
-- (or a member of db_securityadmin) runs it once in the journal's database, and again after a migration adds a view;
-- each finance login is then a member of the role:
--   CREATE LOGIN finance_li WITH PASSWORD = N'<a strong password>', CHECK_POLICY = ON;   -- in master
--   CREATE USER finance_li FOR LOGIN finance_li;                                          -- in the journal's database
--   ALTER ROLE finance_reader ADD MEMBER finance_li;
-- and named in dbo.finance_logins with its campus (migration 008), or with none for a vendor's login:
--   INSERT INTO dbo.finance_logins (login, campus_no) SELECT N'finance_li', campus_no FROM dbo.campuses WHERE code = N'north';
--   INSERT INTO dbo.finance_logins (login, campus_no) VALUES (N'vendor_wang', NULL);               -- every campus
-- A member reads only its campus's rows (the security policy campus_rows_policy), and none while it is not listed.
-- The views, the functions and the tables are all dbo's, so ownership chaining lets the role read through a view or a
-- function without any right on a table (transactions, holders, secrets, codes, campus_settings, ...); it has none.
-- SqlServerSchemaTests checks that every view is granted here and no table is.
IF DATABASE_PRINCIPAL_ID(N'finance_reader') IS NULL
    CREATE ROLE finance_reader;
GO

GRANT SELECT ON dbo.postings TO finance_reader;
GRANT SELECT ON dbo.campus_crossings TO finance_reader;
GRANT SELECT ON dbo.account_balances TO finance_reader;
GRANT SELECT ON dbo.trial_balance TO finance_reader;
GRANT SELECT ON dbo.journal TO finance_reader;
GRANT SELECT ON dbo.account_names TO finance_reader;
GRANT SELECT ON dbo.trial_balance_by_kind TO finance_reader;
GRANT SELECT ON dbo.cardholder_float TO finance_reader;
GRANT SELECT ON dbo.daily_funding TO finance_reader;
GRANT SELECT ON dbo.merchant_days TO finance_reader;
GRANT SELECT ON dbo.settlements TO finance_reader;
GRANT SELECT ON dbo.fee_income TO finance_reader;
GRANT SELECT ON dbo.refunds_payable TO finance_reader;
GRANT SELECT ON dbo.refunds_payable_by_person TO finance_reader;
GRANT SELECT ON dbo.subsidy_batch_totals TO finance_reader;
GRANT SELECT ON dbo.cardholder_states TO finance_reader;
GRANT SELECT ON dbo.audit TO finance_reader;
GRANT SELECT ON dbo.offline_records_refused TO finance_reader;
GRANT SELECT ON dbo.trial_balance_by_campus TO finance_reader;

GRANT EXECUTE ON dbo.campus_today TO finance_reader;
GRANT EXECUTE ON dbo.campus_now TO finance_reader;
GRANT EXECUTE ON dbo.campus_time TO finance_reader;
GRANT EXECUTE ON dbo.campus_instant TO finance_reader;
GRANT EXECUTE ON dbo.campus_utc_offset TO finance_reader;
GRANT EXECUTE ON dbo.campus_utc_offset_of TO finance_reader;
GRANT EXECUTE ON dbo.campus_time_of TO finance_reader;
GRANT EXECUTE ON dbo.current_campus TO finance_reader;
GRANT EXECUTE ON dbo.to_yuan TO finance_reader;
GRANT EXECUTE ON dbo.code_name TO finance_reader;
GRANT EXECUTE ON dbo.freeze_reasons TO finance_reader;
GRANT EXECUTE ON dbo.account_balance_at TO finance_reader;

-- Read-only whatever else a member is given: a DENY wins over any GRANT.
DENY INSERT, UPDATE, DELETE, ALTER ON SCHEMA::dbo TO finance_reader;
GO
