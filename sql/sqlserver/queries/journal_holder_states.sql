-- SqlServerJournal.HolderStatesAsync and SnapshotAsync: each holder's newest state (holder_after) with the balances of
-- the legs and the day's spend (today's approved debits and settled holds, less the refunds of today's debits). A holder without a
-- decided state is left out unless it has a legacy card. Each with its campus and the day of its spend (last): its
-- campus's business day in @campus_days (dbo.campus_days), else @day.
WITH balances AS (
    SELECT account_owner AS holder,
           SUM(CASE WHEN account_kind = 1 THEN amount_fen END) AS purse,
           SUM(CASE WHEN account_kind = 2 THEN amount_fen END) AS wallet,
           SUM(CASE WHEN account_kind = 3 THEN amount_fen END) AS pending,
           SUM(CASE WHEN account_kind = 6 THEN amount_fen END) AS held
      FROM dbo.postings
     WHERE account_kind IN (1, 2, 3, 6)
     GROUP BY account_owner),
days AS (
    SELECT h.id AS holder, h.campus_no, COALESCE((SELECT c.day FROM @campus_days AS c WHERE c.campus_no = h.campus_no), @day) AS day
      FROM dbo.holders AS h),
today AS (
    SELECT t.holder_id AS holder,
           SUM(CASE WHEN t.kind IN (1, 27) THEN t.moved_fen ELSE -t.moved_fen END) AS spent
      FROM dbo.transactions AS t
      JOIN days AS hd ON hd.holder = t.holder_id
     WHERE t.business_day = hd.day AND t.outcome = 1
       AND (t.kind IN (1, 27) OR (t.kind = 2 AND t.effect = 1 AND EXISTS (
            SELECT 1 FROM dbo.transactions AS o
             WHERE o.scope = t.scope AND o.request_id = t.original_request_id
               AND o.kind = 1 AND o.outcome = 1 AND o.business_day = hd.day)))
     GROUP BY t.holder_id),
ranked AS (
    SELECT holder_id, holder_after, ROW_NUMBER() OVER (PARTITION BY holder_id ORDER BY id DESC) AS newest
      FROM dbo.transactions
     WHERE holder_after IS NOT NULL),
states AS (
    SELECT holder_id, holder_after FROM ranked WHERE newest = 1)
SELECT h.id, h.person_no, h.card_type, h.legacy_card, s.holder_after,
       COALESCE(b.purse, 0) AS purse, COALESCE(b.wallet, 0) AS wallet, COALESCE(b.pending, 0) AS pending,
       COALESCE(d.spent, 0) AS spent, COALESCE(b.held, 0) AS held, h.campus_no, hd.day
  FROM dbo.holders AS h
  JOIN days AS hd ON hd.holder = h.id
  LEFT JOIN states AS s ON s.holder_id = h.id
  LEFT JOIN balances AS b ON b.holder = h.id
  LEFT JOIN today AS d ON d.holder = h.id
 WHERE s.holder_after IS NOT NULL OR h.legacy_card IS NOT NULL
 ORDER BY h.id;
