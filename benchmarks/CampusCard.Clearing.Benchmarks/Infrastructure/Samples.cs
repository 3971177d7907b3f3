using CampusCard.Clearing.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace CampusCard.Clearing.Benchmarks.Infrastructure;

/// <summary>Messages shaped like a canteen terminal's: field lengths are what the wire really carries.</summary>
public static class Samples
{
    public static DebitRequest DebitRequest() => new()
    {
        RequestId = "T0042-000001",
        CardNo = Domain.CardNumbers.Generate("open:2021001"),
        MerchantId = "CANTEEN-1",
        TerminalId = "T0042",
        AmountFen = 850,
    };

    public static DebitReply DebitReply() => new()
    {
        Outcome = Outcome.Approved,
        TransactionId = 1_234_567,
        BalanceFen = 41_150,
        DecidedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.FromHours(8))),
    };
}
