namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>A cardholder the fuzzer's seeds name: an account opened for the run, its card and a funded purse.</summary>
public sealed record FuzzHolder(string PersonNo, string CardNo);

/// <summary>A registered terminal and its merchant: the identity of a terminal-role call.</summary>
public sealed record FuzzTerminal(string TerminalId, string MerchantId);

/// <summary>
/// The real accounts, cards, merchants and terminals a run's seeds refer to, so that a valid seed reaches the decision
/// and a mutation of it reaches deep code. It grows between epochs (new funded accounts), because the run's own valid
/// requests close accounts, report cards lost and change PINs.
/// </summary>
public sealed class FuzzWorld
{
    /// <summary>The ID number every account is opened with; its default PIN is <see cref="DefaultPin"/>.</summary>
    public const string IdNumber = "21020019990101234X";
    public const string DefaultPin = "012341";
    public const string PaymentPassword = "246810";
    public const string NewPin = "135790";

    /// <summary>Accounts whose seeds are drawn; the newest <see cref="LiveHolders"/> only.</summary>
    public List<FuzzHolder> Holders { get; } = [];
    public const int LiveHolders = 48;
    public List<FuzzTerminal> Terminals { get; } = [];
    /// <summary>Merchants of a payee category (电费, 网费…), for Payments.Pay and Refund.</summary>
    public List<string> Payees { get; } = [];
    /// <summary>Every merchant opened, payees included.</summary>
    public List<string> Merchants { get; } = [];
    /// <summary>The service's clock: seeds' dates and timestamps are near it.</summary>
    public required DateTimeOffset Now { get; init; }

    public IReadOnlyList<FuzzHolder> Live => Holders.Count <= LiveHolders ? Holders : Holders.GetRange(Holders.Count - LiveHolders, LiveHolders);
}
