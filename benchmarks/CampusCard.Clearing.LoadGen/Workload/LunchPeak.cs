namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>What a terminal does next: a debit, a reversal or retry of an earlier one, or one of the --mix's operations.</summary>
public enum SwipeAction { Debit, Reverse, Retry, Shower, Payment }

/// <summary>The workload every mode runs: which card, at which terminal's canteen, how much, and what kind of request.</summary>
public sealed class LunchPeak
{
    public const long MinAmountFen = 300;
    public const long MaxAmountFen = 2_500;

    /// <summary>A debit rate above what one service instance reaches here, so that no card is drained within a run.</summary>
    private const double PlannedDebitsPerSecond = 50_000;

    private readonly LoadOptions _options;
    private readonly double _reverseBelow;
    private readonly double _retryBelow;
    private readonly double _showerBelow;
    private readonly double _paymentBelow;
    private readonly int[] _canteenOfTerminal;

    public LunchPeak(LoadOptions options)
    {
        _options = options;
        _reverseBelow = options.ReversalPercent / 100;
        _retryBelow = (options.ReversalPercent + options.RetryPercent) / 100;
        _showerBelow = _retryBelow + options.Mix.HoldPercent / 100;
        _paymentBelow = _showerBelow + options.Mix.PaymentPercent / 100;
        Cards = new ZipfSampler(options.Accounts, options.ZipfExponent, new Random(options.Seed));
        Canteens = new ZipfSampler(options.Merchants, options.ZipfExponent, new Random(options.Seed + 1));
        _canteenOfTerminal = TerminalPlacement.Place(Canteens, options.Merchants, options.Terminals);
    }

    public ZipfSampler Cards { get; }
    public ZipfSampler Canteens { get; }

    /// <summary>The canteen (0-based) terminal <paramref name="terminal"/> belongs to, in every mode: it debits only there.</summary>
    public int CanteenOf(int terminal) => _canteenOfTerminal[terminal];

    /// <summary>The campus (0-based, --campuses) terminal <paramref name="terminal"/> stands in: each canteen's terminals are spread over them.</summary>
    public int CampusOf(int terminal) => terminal % _options.Campuses;

    /// <summary>The terminals of campus <paramref name="campus"/> (0-based).</summary>
    public IEnumerable<int> TerminalsOf(int campus) => Enumerable.Range(0, _options.Terminals).Where(t => CampusOf(t) == campus);

    /// <summary>How many terminals each canteen (0-based) has.</summary>
    public int[] TerminalsPerCanteen()
    {
        var counts = new int[_options.Merchants];
        foreach (var canteen in _canteenOfTerminal) counts[canteen]++;
        return counts;
    }

    /// <summary>
    /// What each purse should hold before the run: --balance, or more for a hot card, enough for its share of every debit
    /// this invocation could make at the planned rate, so that declines stay rare even under Zipf skew.
    /// </summary>
    public long[] PurseTargets()
    {
        var debits = PlannedRequests();
        var targets = new long[_options.Accounts];
        for (var account = 0; account < targets.Length; account++)
            targets[account] = Math.Max(_options.BalanceFen, (long)(Cards.ShareOf(account) * debits * MaxAmountFen));
        return targets;
    }

    /// <summary>What each e-wallet should hold before a run with payments in its --mix: --balance, or a hot card's share of them.</summary>
    public long[] WalletTargets()
    {
        var payments = PlannedRequests() * _options.Mix.PaymentPercent / 100;
        var targets = new long[_options.Accounts];
        for (var account = 0; account < targets.Length; account++)
            targets[account] = Math.Max(_options.BalanceFen, (long)(Cards.ShareOf(account) * payments * WalletPayment.MaxAmountFen));
        return targets;
    }

    private double PlannedRequests()
    {
        var modes = _options.Modes.Count(m => !m.IsBaseline());
        var perMode = _options.Count ?? _options.DurationSeconds * PlannedDebitsPerSecond;
        return Math.Max(1, modes) * (perMode + _options.WarmupSeconds * PlannedDebitsPerSecond);
    }

    public Random RandomFor(int terminal) => new(unchecked(_options.Seed * 1_000_003 + terminal));

    public SwipeAction NextAction(Random random)
    {
        var roll = random.NextDouble();
        if (roll < _reverseBelow) return SwipeAction.Reverse;
        if (roll < _retryBelow) return SwipeAction.Retry;
        if (roll < _showerBelow) return SwipeAction.Shower;
        return roll < _paymentBelow ? SwipeAction.Payment : SwipeAction.Debit;
    }

    public static long NextAmount(Random random) => random.NextInt64(MinAmountFen, MaxAmountFen + 1);

    /// <summary>The single limit the setup gives a PIN card: its debits above it carry the PIN.</summary>
    public const long PinCardSingleLimitFen = 1_500;

    /// <summary>The PIN of every load-generator card: the default of the ID number the setup opens them with.</summary>
    public const string IdNumber = "110101200001011234";

    public const string DefaultPin = "011234";

    /// <summary>Whether an account is a PIN card: the last --pin-cards percent of every hundred, away from the hottest cards.</summary>
    public bool IsPinCard(int account) => account % 100 >= 100 - _options.PinCardPercent;
}
