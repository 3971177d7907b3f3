-- SqlServerMigrator: releases migrator_lock.sql's lock.
EXEC sys.sp_releaseapplock @Resource = N'CCJNL', @LockOwner = N'Session';
