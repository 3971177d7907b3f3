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

/// <summary>What the hot store holds for one holder.</summary>
public sealed record HolderHotState(long HolderId, int CardIssue, CardState CardState, Balances Balances, int SpendDay, long DaySpentFen);
