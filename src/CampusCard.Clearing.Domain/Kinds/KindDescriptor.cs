namespace CampusCard.Clearing.Domain;

/// <summary>What a descriptor's rules may look at besides the request: the clock, the campus calendar, configuration.</summary>
public sealed record KindContext(DateTimeOffset Now, BusinessCalendar Calendar, IReadOnlyDictionary<string, ChannelRules> Channels, CardRules Cards);

/// <summary>
/// The one home of a transaction kind on the C# side: how it is addressed, its validation and pre-declines, the
/// accounts an approval moves money between, and the content a retry must repeat. Its decision is the Lua
/// function DECIDE[KIND.&lt;NAME&gt;] in HotStore/Lua/kinds/. Adding a kind is a descriptor, a decider, its messages
/// and its tests.
/// </summary>
public abstract class KindDescriptor
{
    public abstract TransactionKind Kind { get; }

    public abstract Addressing Addressing { get; }

    /// <summary>
    /// Whether a terminal takes a card of another campus of its campus's card group for it (校区通用, handbook Q&amp;A 5): the
    /// kinds of a sale and its undoing, whose merchant is the terminal's; never the card office's or a kiosk's.
    /// </summary>
    public virtual bool AcrossCardGroup => false;

    /// <summary>The first rule the request breaks (INVALID_ARGUMENT, nothing changes), or null.</summary>
    public Violation? Validate(ClearingRequest r, KindContext context) => Validation.First(
        Validation.RequestId(r.RequestId),
        Addressing switch
        {
            Addressing.Card => Validation.Identifier("card_no", r.CardNo, 32),
            Addressing.Person => Validation.Identifier("person_no", r.PersonNo, 32),
            Addressing.Merchant => Validation.Identifier("merchant_id", r.MerchantId, 32),
            _ => r.CardNo.Length == 0 && r.PersonNo.Length == 0 ? new Violation("card_no", "card_no or person_no is required")
                : r.PersonNo.Length > 0 ? Validation.Identifier("person_no", r.PersonNo, 32) : Validation.Identifier("card_no", r.CardNo, 32),
        },
        ValidateContent(r, context));

    protected abstract Violation? ValidateContent(ClearingRequest r, KindContext context);

    /// <summary>
    /// The request as the decider gets it: a decline that needs no hot state (a channel's service hours, recorded like
    /// any other decision) and what configuration sets for it (<see cref="ClearingRequest.Terms"/>).
    /// </summary>
    public virtual ClearingRequest Admit(ClearingRequest r, KindContext context) => r;

    /// <summary>
    /// The accounts an approved decision moves <see cref="Decision.MovedFen"/> between: -amount on the first, +amount on
    /// the second. Only asked when money moved.
    /// </summary>
    public virtual (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        throw new InvalidOperationException($"{Kind} moves no money");

    public Legs Legs(ClearingRequest r, Decision d)
    {
        var (from, to) = Accounts(r, d);
        return new Legs(Booked(from, d), Booked(to, d), d.MovedFen);
    }

    /// <summary>
    /// The accounts of a decision's second movement, <see cref="Decision.SideFen"/>: what a debit claimed from pending
    /// before it, the rest of a settled hold back to the purse. Only asked when it moved.
    /// </summary>
    public virtual (AccountRef From, AccountRef To) SideAccounts(ClearingRequest r, Decision d) =>
        throw new InvalidOperationException($"{Kind} has no side legs");

    public Legs SideLegs(ClearingRequest r, Decision d)
    {
        var (from, to) = SideAccounts(r, d);
        return new Legs(Booked(from, d), Booked(to, d), d.SideFen);
    }

    /// <summary>Whether the kind closes the account (报退): its legs move the purse out as the account closes.</summary>
    public virtual bool ClosesAccount => false;

    /// <summary>
    /// Where a leg is booked: money that reaches an account closed by 报退 (a reversal, a payment's refund, an offline
    /// record; anything decided after the close) is the person's refunds payable, never the dead purse, e-wallet, pending
    /// balance or holds (art. 15; the decider left those balances as the close did: Lua/lib/funds.lua, keep_closed). The
    /// row keeps the holder, so refunds payable is known per person (the views refunds_payable and refunds_payable_by_person).
    /// </summary>
    private AccountRef Booked(AccountRef account, Decision d) =>
        d.CardState == CardState.Closed && !ClosesAccount && account.IsCardholders ? AccountRef.System(SystemAccount.RefundsPayable) : account;

    /// <summary>
    /// Whether the kind acts on an earlier request of the same scope, <see cref="ClearingRequest.OriginalRequestId"/> (a
    /// reversal's debit, a settle's hold, a refund's payment, a recall's subsidy): its decider reads and marks that
    /// request's idempotency record.
    /// </summary>
    public virtual bool ActsOnOriginal => false;

    /// <summary>What an approved decision of the kind did to its original's record, as its decider did it (a rebuild repeats it).</summary>
    public virtual OriginalMark MarkOriginal(JournalEntry e) => default;

    /// <summary>
    /// The digest of what the request is: its kind, whom it names and its content. Not who sent it: a gateway's
    /// retry may come through another of its instances.
    /// </summary>
    public long Fingerprint(ClearingRequest r)
    {
        var f = new Fingerprint();
        f.Add((long)Kind);
        f.Add(r.Scope);
        AddContent(ref f, r);
        return f.Value;
    }

    /// <summary>Everything of the request that the journal stores and a retry must repeat.</summary>
    protected abstract void AddContent(ref Fingerprint f, ClearingRequest r);
}

/// <summary>What a decision did to its original's record: closed it (at most once: a reversal, a settle), undid part of it (a refund).</summary>
public readonly record struct OriginalMark(bool Close, long UndoneFen);

/// <summary>
/// FNV-1a over a request's content, kept to 52 bits so the Lua deciders hold it exactly in a double. It only tells
/// a retry from a reuse of the same request id, so 2^-52 is far below any chance that matters.
/// </summary>
public struct Fingerprint()
{
    private const ulong Prime = 1099511628211UL;
    private const ulong Mask = (1UL << 52) - 1;
    private ulong _h = 14695981039346656037UL;

    public readonly long Value => (long)(_h & Mask);

    public void Add(long value)
    {
        for (var i = 0; i < 8; i++)
        {
            _h ^= (byte)(value >> (8 * i));
            _h *= Prime;
        }
    }

    public void Add(string value)
    {
        foreach (var c in value)
        {
            _h ^= c;
            _h *= Prime;
        }
        _h ^= 0xFF;
        _h *= Prime;
    }
}
