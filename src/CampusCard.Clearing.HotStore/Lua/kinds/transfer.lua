-- Transfer: purse <-> e-wallet of one person, either way, without overdraft. A temporary card has the e-purse only
-- (art. 4); a frozen card moves no money out of its purse (art. 7: 停止校园卡的各项功能).
DECIDE[KIND.TRANSFER] = function(h, q, c)
  if q.pre ~= 0 then return OUTCOME.DECLINED, q.pre, 0, 0, 0 end
  if not h then return OUTCOME.DECLINED, REASON.UNKNOWN_PERSON, 0, 0, 0 end
  if h.closed == 1 then return OUTCOME.DECLINED, REASON.ACCOUNT_CLOSED, 0, 0, 0 end
  if h.type == CARD_TYPE.TEMPORARY then return OUTCOME.DECLINED, REASON.NOT_FOR_CARD_TYPE, 0, 0, 0 end
  local from, to = 'purse', 'wallet'
  if q.direction == DIRECTION.WALLET_TO_PURSE then from, to = 'wallet', 'purse' end
  if from == 'purse' and h.freeze ~= 0 then return OUTCOME.DECLINED, REASON.CARD_FROZEN, 0, 0, 0 end
  if h[from] < q.amount then return OUTCOME.DECLINED, REASON.INSUFFICIENT_FUNDS, 0, 0, 0 end
  h[from], h[to] = h[from] - q.amount, h[to] + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, 0
end
