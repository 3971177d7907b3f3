namespace CampusCard.Clearing.Domain;

/// <summary>A person with their one account and live card.</summary>
public sealed record Holder(
    long Id, string PersonNo, string Name, CardType CardType, int CardIssue, CardState CardState, DateTimeOffset OpenedAt)
{
    public CardNumber Card => new(Id, CardIssue);
}

public sealed record Merchant(long No, string MerchantId, string Name, MerchantCategory Category, DateTimeOffset OpenedAt);

/// <summary>A POS terminal registered to one merchant; a revoked one is refused and never registered again.</summary>
public sealed record TerminalRegistration(string TerminalId, long MerchantNo, string MerchantId, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>What the hot store holds for one holder. <see cref="CardSeq"/> is the live card: 0 for the first, one more for each replacement.</summary>
public sealed record HolderHotState(long HolderId, string PersonNo, int CardSeq, CardState CardState, Balances Balances, int SpendDay, long DaySpentFen);

/// <summary>A card number as the hot store knows it: whose it is and which of their cards (a replaced one is dead).</summary>
public readonly record struct CardRef(string PersonNo, int Seq);
