-- A terminal may move to another merchant, and a revoked terminal id may be registered again (the card office's
-- Cards.RegisterTerminal). The tokens a terminal had before such a change stay refused: a call's token must have been
-- issued at or after tokens_from (null for a terminal registered once and never moved or revoked).
ALTER TABLE dbo.terminals ADD tokens_from datetimeoffset(6) NULL;
