namespace CampusCard.Clearing.Domain;

/// <summary>
/// A person with their one account (art. 14: one per student or staff number, never reopened once closed). What the
/// card may do, and which card is live, is hot state decided in the pipeline and journaled (<see cref="HolderHotState"/>).
/// </summary>
public sealed record Holder(long Id, string PersonNo, string Name, CardType CardType, DateTimeOffset OpenedAt, short Campus = Campuses.Default);

/// <summary>A card number the card office issued, and whose it is. A card, once issued, always names its holder.</summary>
public sealed record IssuedCard(string CardNo, long HolderId, string PersonNo, DateTimeOffset IssuedAt, short Campus = Campuses.Default);

public sealed record Merchant(long No, string MerchantId, string Name, MerchantCategory Category, DateTimeOffset OpenedAt, short Campus = Campuses.Default);

/// <summary>
/// A terminal's registration to its merchant. <see cref="TokensFrom"/>: when it was moved to another merchant or registered
/// again after a revocation, the tokens issued before stay refused; null for a terminal registered once.
/// </summary>
public sealed record TerminalRegistration(
    string TerminalId, long MerchantNo, string MerchantId, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt, DateTimeOffset? TokensFrom = null,
    short Campus = Campuses.Default)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>This registration replaced an earlier one of the terminal: it moved to another merchant, or came back after a revocation.</summary>
    public bool Replaced => TokensFrom is { } from && from == RegisteredAt;

    /// <summary>Whether a token issued at <paramref name="issuedAt"/> predates the registration (its seconds: a token's time has no finer).</summary>
    public bool Predates(DateTimeOffset issuedAt) =>
        TokensFrom is { } from && issuedAt.ToUnixTimeSeconds() < from.ToUnixTimeSeconds();
}

/// <summary>Which holder a card number names; the holder's hot state says whether it is their live card.</summary>
public readonly record struct CardRef(string PersonNo);

/// <summary>A subsidy batch 补助: its subsidies may be claimed until the deadline, and are recalled after it.</summary>
public sealed record SubsidyBatch(string BatchId, DateTimeOffset Deadline, string Memo, string CreatedBy, DateTimeOffset CreatedAt, short Campus = Campuses.Default);
