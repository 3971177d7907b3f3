namespace CampusCard.Clearing.Domain;

/// <summary>
/// A person with their one account (art. 14: one per student or staff number, never reopened once closed). What the
/// card may do, and which card is live, is hot state decided in the pipeline and journaled (<see cref="HolderHotState"/>).
/// </summary>
public sealed record Holder(long Id, string PersonNo, string Name, CardType CardType, DateTimeOffset OpenedAt);

/// <summary>A card number the card office issued, and whose it is. A card, once issued, always names its holder.</summary>
public sealed record IssuedCard(string CardNo, long HolderId, string PersonNo, DateTimeOffset IssuedAt);

public sealed record Merchant(long No, string MerchantId, string Name, MerchantCategory Category, DateTimeOffset OpenedAt);

/// <summary>A POS terminal registered to one merchant; a revoked one is refused and never registered again.</summary>
public sealed record TerminalRegistration(string TerminalId, long MerchantNo, string MerchantId, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>Which holder a card number names; the holder's hot state says whether it is their live card.</summary>
public readonly record struct CardRef(string PersonNo);

/// <summary>A subsidy batch 补助: its subsidies may be claimed until the deadline, and are recalled after it.</summary>
public sealed record SubsidyBatch(string BatchId, DateTimeOffset Deadline, string Memo, string CreatedBy, DateTimeOffset CreatedAt);
