namespace CampusCard.Clearing.Domain;

/// <summary>
/// An account in the chart of accounts is named by its kind and owner: the cardholder id for the
/// purse, e-wallet, pending and holds accounts, the merchant's number for a merchant, and the
/// <see cref="SystemAccount"/> code for a system account.
/// </summary>
public readonly record struct AccountRef(AccountKind Kind, long Owner)
{
    public static AccountRef Purse(long holderId) => new(AccountKind.Purse, holderId);
    public static AccountRef Wallet(long holderId) => new(AccountKind.Wallet, holderId);
    public static AccountRef Pending(long holderId) => new(AccountKind.Pending, holderId);
    public static AccountRef Holds(long holderId) => new(AccountKind.Holds, holderId);
    public static AccountRef Of(AccountKind kind, long holderId) => new(kind, holderId);
    public static AccountRef Merchant(long merchantNo) => new(AccountKind.Merchant, merchantNo);
    public static AccountRef System(SystemAccount code) => new(AccountKind.System, (long)code);

    /// <summary>One of a cardholder's own accounts: purse, e-wallet, pending balance or holds.</summary>
    public bool IsCardholders => Kind is AccountKind.Purse or AccountKind.Wallet or AccountKind.Pending or AccountKind.Holds;
}

/// <summary>One line of a transaction: a signed amount in fen; the lines of a transaction sum to zero.</summary>
public readonly record struct Posting(AccountRef Account, long AmountFen);

/// <summary>
/// What an approved transaction moves: an amount from one account to another, as the journal stores
/// it. Its two postings are -amount on <see cref="From"/> and +amount on <see cref="To"/>.
/// </summary>
public readonly record struct Legs(AccountRef From, AccountRef To, long AmountFen)
{
    public IReadOnlyList<Posting> Postings => [new(From, -AmountFen), new(To, AmountFen)];
}
