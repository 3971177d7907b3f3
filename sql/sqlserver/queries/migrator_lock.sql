-- SqlServerMigrator: one migrator at a time (an application lock held by the session, released by migrator_unlock.sql
-- or when the connection closes).
DECLARE @result int;
EXEC @result = sys.sp_getapplock @Resource = N'CCJNL', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
IF @result < 0 THROW 51010, N'the journal migration lock was not granted', 1;
