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
    Holds = 6,     // 预授权: what open holds (水控, laundry) keep from the purse until they are settled or released
    /// <summary>
    /// 校区往来: what a campus owes another of its card group (owner: the other campus's number) for its cardholders'
    /// sales at the other's merchants, less what they gave back. Never written: the postings view derives its legs from a
    /// transaction whose holder is of another campus than its merchant (migration 019).
    /// </summary>
    CampusClearing = 7,
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

/// <summary>
/// What a card may do, as terminals see it. Closed wins over lost, lost over frozen: a frozen card reported lost is
/// lost, and frozen again when the loss is cancelled (the hot state keeps the loss and the freeze apart).
/// </summary>
public enum CardState : short
{
    Active = 1,
    Lost = 2,
    Frozen = 3,
    Closed = 4,
    /// <summary>Not a holder's state: the state of a card presented that was replaced (补办), whose number is dead.</summary>
    Replaced = 5,
}

/// <summary>
/// Why a card is frozen (handbook Q&amp;A 3, art. 19 and 20; CUMT 校园卡冻结). A card may be frozen for several reasons at
/// once: each lifts on its own, and the card is active again when none is left (<see cref="FreezeReasons"/>).
/// </summary>
public enum FreezeReason : short
{
    None = 0,
    Inactive = 1,       // 半年以上没有使用
    InfoChanged = 2,    // 持卡人信息更改
    Expired = 3,        // 有效期到期
    Overdrawn = 4,      // 透支 (art. 19): lifts only once the overdraft is repaid
    PrepaidUnpaid = 5,  // 预存金额未缴 (art. 20)
    Admin = 6,          // 一卡通管理部 (art. 7)
    System = 7,         // 系统冻结
}

/// <summary>Why a card is replaced (补办): it decides the fee (art. 11, 12).</summary>
public enum ReplaceReason : short
{
    Lost = 1,         // 丢失
    Damaged = 2,      // 个人原因损坏: visible creases or cracks
    ChipFailure = 3,  // 芯片自然损坏 without visible damage: free within a year of issue (art. 12)
}

/// <summary>What the service found when it checked the PIN (or the payment password) a request carried; the deciders see only this, never the secret.</summary>
public enum PinCheck : short { None = 0, Verified = 1, Wrong = 2 }

/// <summary>
/// What a merchant sells (settlement and the monthly bill group by it). The payees of the e-payment platform (handbook 5.2,
/// 7.1) have categories of their own: only they take <see cref="TransactionKind.Payment"/>.
/// </summary>
public enum MerchantCategory : short
{
    Dining = 1,
    Bath = 2,
    Internet = 3,
    Library = 4,
    Supermarket = 5,
    Other = 6,
    NetworkFee = 7,    // 网费
    Electricity = 8,   // 电费
    ExamFees = 9,      // 外语缴费
    LibraryFines = 10, // 图书欠费
    Donation = 11,     // 校友捐赠
}

public static class MerchantCategories
{
    /// <summary>Whether merchants of the category are payees of the e-payment platform.</summary>
    public static bool IsPayee(MerchantCategory category) => category >= MerchantCategory.NetworkFee;

    /// <summary>The monthly bill's category 我的账单 (餐饮, 浴室, 上网, 图书, 超市, 其它) of a merchant's.</summary>
    public static MerchantCategory OnBill(MerchantCategory category) => category switch
    {
        MerchantCategory.NetworkFee => MerchantCategory.Internet,
        MerchantCategory.LibraryFines => MerchantCategory.Library,
        > MerchantCategory.Other => MerchantCategory.Other,
        _ => category,
    };
}

public enum TransactionKind : short
{
    Debit = 1,       // 消费
    Reversal = 2,    // 冲正
    QuotaTopUp = 3,  // 圈存
    Credit = 4,
    Transfer = 5,
    OpenCard = 6,      // 开户发卡: the account's first card
    ReportLoss = 7,    // 挂失
    CancelLoss = 8,    // 解挂
    ReplaceCard = 9,   // 补办
    Freeze = 10,       // 冻结
    Unfreeze = 11,     // 解冻
    RewriteCard = 12,  // 档案重写: the cardholder finishes an approved unfreeze at a kiosk
    CloseAccount = 13, // 报退
    ChangePin = 14,    // 修改密码
    ResetPin = 15,     // 密码重置
    SetLimits = 16,    // 修改限额
    Claim = 17,              // 领取补助 / 确认转账: pending -> purse
    Subsidy = 18,            // 补助: subsidy fund -> pending
    RecallSubsidy = 19,      // 补助回收: an unclaimed subsidy back to the fund after its batch's deadline
    SetAutoTopUp = 20,       // 自动转账 settings
    TopUpWallet = 21,        // bank -> e-wallet (handbook 6.2, one way)
    SetPaymentPassword = 22, // 设置支付密码
    Payment = 23,            // 自助缴费: e-wallet or purse -> payee
    PaymentRefund = 24,      // a payee's refund of a payment
    OfflineDebit = 25,       // 脱机流水: a debit the terminal made while offline
    Hold = 26,               // 预授权 (水控): purse -> holds
    SettleHold = 27,         // holds -> merchant, the rest back to the purse
    ReleaseHold = 28,        // holds -> purse
    Settlement = 29,         // 结算: a merchant's net takings of a business day -> bank clearing
    ResetPaymentPassword = 30, // 支付密码重置: the card office clears the payment password and its lock (handbook 6.1)
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
    /// <summary>The card was replaced (补办): its number is dead.</summary>
    CardReplaced = 15,
    /// <summary>Over the single or daily limit (一密两限): send it again, with a new request id and the card PIN.</summary>
    PinRequired = 16,
    WrongPin = 17,
    /// <summary>Too many wrong PINs in a row: the card office resets it.</summary>
    PinLocked = 18,
    /// <summary>The person already has an account (a second OpenAccount).</summary>
    AlreadyOpen = 19,
    NotLost = 20,
    NotFrozen = 21,
    /// <summary>An overdraft freeze lifts only once the overdraft is repaid (art. 19).</summary>
    StillOverdrawn = 22,
    /// <summary>Below the balance a replacement needs, or the fee (CUMT: 20 yuan).</summary>
    BalanceTooLow = 23,
    /// <summary>A rewrite at a kiosk without an unfreeze the card office approved for it.</summary>
    RewriteNotApproved = 24,
    /// <summary>The card type does not allow it (a temporary card has the e-purse only, art. 4).</summary>
    NotForCardType = 25,
    /// <summary>Closing needs an empty e-wallet and no pending balance: move them to the purse first.</summary>
    BalanceElsewhere = 26,
    /// <summary>Self-service needs a PIN changed from the default one (handbook 4.2): the card office does it.</summary>
    DefaultPin = 27,
    /// <summary>A claim with nothing pending.</summary>
    NothingPending = 28,
    /// <summary>No hold under that request id for this card (or it is not a hold).</summary>
    UnknownHold = 29,
    /// <summary>The hold was settled or released before: a hold is closed at most once (invariant 8).</summary>
    HoldClosed = 30,
    /// <summary>Past the hold's deadline: the engine releases it.</summary>
    HoldExpired = 31,
    /// <summary>A settle for more than the hold holds.</summary>
    OverHold = 32,
    /// <summary>No payment password set yet: the e-payment platform asks for it first (handbook 6.1).</summary>
    PaymentPasswordRequired = 33,
    WrongPaymentPassword = 34,
    /// <summary>Too many wrong payment passwords in a row: the card office resets it.</summary>
    PaymentPasswordLocked = 35,
    /// <summary>The merchant is not a payee of the e-payment platform.</summary>
    NotAPayee = 36,
    /// <summary>No payment under that request id to this payee from this person.</summary>
    UnknownPayment = 37,
    /// <summary>A refund for more than what is left of the payment.</summary>
    OverRefund = 38,
    /// <summary>A top-up answering an auto top-up request that is not open (funded, declined or expired before).</summary>
    AutoTopUpNotOpen = 39,
    /// <summary>The subsidy was claimed (or recalled) already.</summary>
    SubsidyClaimed = 40,
    /// <summary>No subsidy of the batch for the person.</summary>
    UnknownSubsidy = 41,
    /// <summary>The ID number does not match the account's: counted with the wrong PINs (handbook 4.2).</summary>
    WrongIdNumber = 42,
    /// <summary>An offline record older than the campus accepts (Cards:OfflineMaxAge): not booked, listed for the card office.</summary>
    OfflineRecordTooOld = 43,
    /// <summary>A top-up answering an auto top-up request for another amount than the cardholder set: the request stays open.</summary>
    AutoTopUpAmountDiffers = 44,
    /// <summary>The card is frozen for another reason than the one named: each reason lifts on its own.</summary>
    NotFrozenForReason = 45,
    /// <summary>
    /// The card is not the terminal's campus's and its number is held at two or more campuses of the campus group: refused,
    /// not guessed (the card office of either campus replaces it).
    /// </summary>
    CardAmbiguous = 46,
}

/// <summary>
/// What else a decision did, or what the card office should know about it. The first four are a reversal's
/// (terminal.proto's ReversalEffect keeps them for the reversal reply).
/// </summary>
public enum Effect : short
{
    None = 0,
    Refunded = 1,
    NothingToReverse = 2,
    OriginalUnknown = 3,
    /// <summary>A top-up through a channel whose card must confirm it: the money waits as pending (handbook 3.1 way two).</summary>
    ToPending = 4,
    /// <summary>A debit that first claimed the pending balance (CUMT: 充值的钱会自动转到校园卡上).</summary>
    AutoClaimed = 5,
    /// <summary>An offline record of a card reported lost before it was used: recorded, for the card office (art. 22).</summary>
    UsedWhileLost = 6,
    /// <summary>An offline record of a card replaced before it was used.</summary>
    UsedAfterReplacement = 7,
    /// <summary>An offline record of an account closed before it was used.</summary>
    UsedAfterClose = 8,
}

public enum TransferDirection : short { PurseToWallet = 1, WalletToPurse = 2 }
