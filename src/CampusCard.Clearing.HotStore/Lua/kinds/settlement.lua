-- Settlement (结算): a merchant's net takings of a business day (q.amount, computed from the journal by the service)
-- -> bank clearing. No cardholder (h is nil); once per (merchant, day) by its request id.
DECIDE[KIND.SETTLEMENT] = function(h, q, c)
  return OUTCOME.APPROVED, 0, 0, q.amount, q.merchant
end
