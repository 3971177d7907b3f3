namespace CampusCard.Clearing.Domain;

/// <summary>
/// The campus's card rules (configuration section "Cards"). The defaults follow the seeds: the handbook's 一密两限
/// (Q&amp;A 1), its fees (art. 11, 12), and CUMT's 20 yuan on the purse before a replacement.
/// </summary>
public sealed record CardRules
{
    /// <summary>Wrong PINs in a row before the PIN locks until the card office resets it.</summary>
    public int PinAttempts { get; init; } = 5;

    /// <summary>Wrong payment passwords 电子支付密码 in a row before it locks until the card office resets it.</summary>
    public int PaymentPasswordAttempts { get; init; } = 5;

    /// <summary>
    /// A debit first claims the card's pending amount (CUMT: 在食堂或者超市消费时，充值的钱会自动转到校园卡上); off, pending
    /// amounts wait for a claim at a kiosk (handbook 2.2, 3.1).
    /// </summary>
    public bool AutoClaim { get; init; }

    /// <summary>The longest a hold (水控, laundry) may stay open before the engine releases it.</summary>
    public TimeSpan MaxHoldLifetime { get; init; } = TimeSpan.FromHours(4);

    /// <summary>How far an offline record's time may be ahead of the service's clock (terminal clocks drift).</summary>
    public TimeSpan OfflineClockSkew { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The oldest offline record the campus books: an older one is declined OFFLINE_RECORD_TOO_OLD, not booked, and listed
    /// for the card office (the view offline_records_refused); a terminal that was offline longer brings its records to it.
    /// </summary>
    public TimeSpan OfflineMaxAge { get; init; } = TimeSpan.FromDays(10);

    /// <summary>How many days a subsidy batch may be claimed, unless its upload names a deadline.</summary>
    public int SubsidyClaimDays { get; init; } = 90;

    /// <summary>The purse must hold at least this (and the fee) before a replacement that costs a fee.</summary>
    public long ReplacementMinimumFen { get; init; } = 2_000;

    /// <summary>A chip that fails without visible damage within this many days of issue is replaced free (art. 12).</summary>
    public int FreeChipReplacementDays { get; init; } = 365;

    /// <summary>How the default PIN is made from the ID number (handbook Q&amp;A 1, or CUMT's guide).</summary>
    public DefaultPinRule DefaultPin { get; init; } = DefaultPinRule.LastSixXAsOne;

    /// <summary>
    /// PBKDF2 iterations of a new PIN's or ID number's hash; a stored hash keeps its own count. 20,000 take ~7 ms of
    /// CPU here: a six-digit PIN's strength is its attempt count, and every over-limit debit pays one check.
    /// </summary>
    public int SecretHashIterations { get; init; } = 20_000;

    public CardTypeRules Staff { get; init; } = new();
    public CardTypeRules Student { get; init; } = new();
    public CardTypeRules Identity { get; init; } = new();
    public CardTypeRules Temporary { get; init; } = new() { SingleLimitFen = 5_000, DailyLimitFen = 20_000 };

    public CardTypeRules Of(CardType type) => type switch
    {
        CardType.Staff => Staff,
        CardType.Student => Student,
        CardType.Identity => Identity,
        CardType.Temporary => Temporary,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no such card type"),
    };
}

/// <summary>What a card of one type starts with and pays. Limits of 0 are none.</summary>
public sealed record CardTypeRules
{
    /// <summary>单次消费限额: a debit above it needs the PIN.</summary>
    public long SingleLimitFen { get; init; } = 10_000;

    /// <summary>每日累计消费限额: a debit that takes the day's spend above it needs the PIN.</summary>
    public long DailyLimitFen { get; init; } = 30_000;

    /// <summary>工本费 of a replacement (art. 11: 补办校园卡需按学校规定的相关标准缴纳工本费).</summary>
    public long ReplacementFeeFen { get; init; } = 2_000;
}

public enum DefaultPinRule
{
    /// <summary>The ID number's last six characters, a final X as 1 (handbook Q&amp;A 1).</summary>
    LastSixXAsOne,
    /// <summary>The last six characters, or when the last is X the six before it (CUMT: 后七-后二).</summary>
    LastSixBeforeX,
}
