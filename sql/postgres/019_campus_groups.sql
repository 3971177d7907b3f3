-- Campus groups (校区通用; handbook Q&A 5: a 凌水 card works at 开发区, not at 盘锦; docs/campuses.md): the terminals of
-- the campuses of one card group (CampusSettings.CardGroup) take each other's cards. Such a sale is one transaction of
-- the terminal's campus (its scope, its merchant, its business day: transactions.campus_no) whose holder is of another
-- campus (holder_campus_no; 0 when the holder is the transaction's campus's, as every row before this migration).
ALTER TABLE transactions ADD COLUMN holder_campus_no smallint NOT NULL DEFAULT 0;

-- The books of each campus balance on their own: the postings of such a transaction are split between the two campuses
-- through a pair of campus clearing accounts (校区往来, account kind 7, owner the other campus's number). The
-- cardholder's legs (purse, e-wallet, pending, holds: kinds 1, 2, 3, 6) are the holder's campus's, the others the
-- transaction's; what the cardholder's legs sum to (a sale of 5 yuan: -500) is balanced in the holder's campus by its
-- account on the merchant's campus (+500: what it owes that campus) and in the merchant's campus by its account on the
-- holder's (-500: what it is owed). A sale's reversal books the opposite. The campuses settle the pair between them.
-- A campus's finance login reads both campuses' legs of such a transaction's row but is shown its own campus's only
-- (the service's role, listed nowhere, and a vendor's login read all).
-- Each transaction whose holder is of another campus and whose cardholder's legs move money, with what they sum to.
CREATE VIEW campus_crossings WITH (security_invoker = true) AS
SELECT id, campus_no, holder_campus_no, cardholders_fen
  FROM (SELECT id, campus_no, holder_campus_no,
               CASE WHEN from_kind IN (1, 2, 3, 6) THEN -moved_fen ELSE 0 END
             + CASE WHEN to_kind IN (1, 2, 3, 6) THEN moved_fen ELSE 0 END
             + CASE WHEN side_from_kind IN (1, 2, 3, 6) THEN -side_fen ELSE 0 END
             + CASE WHEN side_to_kind IN (1, 2, 3, 6) THEN side_fen ELSE 0 END AS cardholders_fen
          FROM transactions
         WHERE holder_campus_no <> 0) t
 WHERE cardholders_fen <> 0;

CREATE OR REPLACE VIEW postings WITH (security_invoker = true) AS
SELECT p.transaction_id, p.account_kind, p.account_owner, p.amount_fen, p.campus_no
  FROM (
        SELECT id AS transaction_id, from_kind AS account_kind, from_owner AS account_owner, -moved_fen AS amount_fen,
               CASE WHEN holder_campus_no <> 0 AND from_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END AS campus_no
          FROM transactions WHERE from_kind IS NOT NULL
        UNION ALL
        SELECT id, to_kind, to_owner, moved_fen,
               CASE WHEN holder_campus_no <> 0 AND to_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END
          FROM transactions WHERE to_kind IS NOT NULL
        UNION ALL
        SELECT id, side_from_kind, side_from_owner, -side_fen,
               CASE WHEN holder_campus_no <> 0 AND side_from_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END
          FROM transactions WHERE side_from_kind IS NOT NULL
        UNION ALL
        SELECT id, side_to_kind, side_to_owner, side_fen,
               CASE WHEN holder_campus_no <> 0 AND side_to_kind IN (1, 2, 3, 6) THEN holder_campus_no ELSE campus_no END
          FROM transactions WHERE side_to_kind IS NOT NULL
        UNION ALL
        SELECT c.id, 7::smallint, c.campus_no::bigint, -c.cardholders_fen, c.holder_campus_no
          FROM campus_crossings c
        UNION ALL
        SELECT c.id, 7::smallint, c.holder_campus_no::bigint, c.cardholders_fen, c.campus_no
          FROM campus_crossings c) p
 WHERE coalesce((SELECT current_campus()), 0) IN (0, p.campus_no);

-- The finance views read a crossing's rows (by the partial index, which the hot path's rows of one campus never enter).
CREATE INDEX transactions_campus_crossing ON transactions (id) WHERE holder_campus_no <> 0;

-- A finance login of the holder's campus reads the transactions of its cardholders at the group's other campuses, as
-- the merchant's campus's reads its merchants' sales: either campus's books hold legs of them. A holder's other data
-- (name, person number: holders) stays its campus's.
ALTER POLICY campus_rows ON transactions
    USING ((SELECT current_campus()) IN (0, campus_no, holder_campus_no) OR campus_no = 0 AND (SELECT current_campus()) IS NOT NULL);
