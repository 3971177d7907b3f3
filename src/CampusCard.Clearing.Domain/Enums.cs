namespace CampusCard.Clearing.Domain;

// The one source of the engine's codes. The numeric values are stored in the journal and in Redis: the Lua
// scripts get their copy generated from these enums (HotStore/Internal/LuaPrelude.cs), the SQL lookup tables
// and the .proto enums are pinned to them by tests (CodesTests).

public enum AccountKind : short
{
    Purse = 1,     // 电子钱包
    Wallet = 2,    // 电子支付平台资金账户
    Pending = 3,   // 过渡余额 / 未领补助
    Merchant = 4,  // 商户
    System = 5,
}

public enum SystemAccount : short
{
    BankClearing = 1,    // 银行清算
    SubsidyFund = 2,     // 补助资金
    FeeIncome = 3,       // 手续费 / 工本费收入
    RefundsPayable = 4,  // 应付退款
    Suspense = 5,        // 挂账
}

public enum CardType : short { Staff = 1, Student = 2, Identity = 3, Temporary = 4 }

public enum CardState : short { Active = 1, Lost = 2, Frozen = 3, Closed = 4 }

public enum MerchantCategory : short { Dining = 1, Bath = 2, Internet = 3, Library = 4, Supermarket = 5, Other = 6 }

public enum TransactionKind : short
{
    Debit = 1,       // 消费
    Reversal = 2,    // 冲正
    QuotaTopUp = 3,  // 圈存
    Credit = 4,
    Transfer = 5,
}

public enum Outcome : short { Approved = 1, Declined = 2 }

public enum DeclineReason : short
{
    None = 0,
    InsufficientFunds = 1,
    UnknownCard = 2,
    CardLost = 3,
    CardFrozen = 4,
    CardClosed = 5,
    UnknownMerchant = 6,
    UnknownPerson = 7,
    AlreadyReversed = 8,
    ReversedBeforeArrival = 9,
    NotReversible = 10,
    OutsideServiceHours = 11,
    AmountOutOfRange = 12,
    AccountClosed = 13,
    /// <summary>A reversal from a terminal of another merchant than the original debit's.</summary>
    OtherMerchant = 14,
}

public enum ReversalEffect : short { None = 0, Refunded = 1, NothingToReverse = 2, OriginalUnknown = 3 }

public enum TransferDirection : short { PurseToWallet = 1, WalletToPurse = 2 }
