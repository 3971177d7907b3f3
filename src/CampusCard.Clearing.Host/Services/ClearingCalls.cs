using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using Google.Protobuf.WellKnownTypes;
using V1 = CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Host.Services;

/// <summary>What the service adapters share: argument checks, the decision of an answer, reply pieces.</summary>
internal static class ClearingCalls
{
    /// <summary>
    /// Why a Timestamp is no time, or null: its seconds must lie within 0001-01-01 and 9999-12-31 and its nanos within
    /// 0 and 999,999,999 (else ToDateTimeOffset throws). An absent Timestamp is the caller's rule to check.
    /// </summary>
    public static Violation? Time(string field, Timestamp? value) =>
        value is null || (value.Seconds is >= MinTimestampSeconds and <= MaxTimestampSeconds && value.Nanos is >= 0 and < 1_000_000_000)
            ? null
            : Validation.Fail(field, "is not a time: a Timestamp lies between 0001-01-01 and 9999-12-31, with nanos from 0 to 999999999");

    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    public static V1.CardReply ToCardReply(this Decision d, string cardNo) => new()
    {
        Outcome = d.Outcome(),
        DeclineReason = d.Reason(),
        TransactionId = d.TransactionId,
        CardNo = cardNo,
        CardState = (V1.CardState)d.CardState,
        AmountFen = d.MovedFen,
        Balances = d.Balances.ToMessage(),
        DecidedAt = d.DecidedAt(),
    };

    /// <summary>A holder's card status at <paramref name="now"/> by its campus's rules (a day's spend from an earlier business day is 0).</summary>
    public static V1.CardStatus ToStatus(this HolderHotState h, CampusRules campus, DateTimeOffset now) => ToStatus(h, campus.Calendar.DayNumber(now), campus.Cards);

    private static V1.CardStatus ToStatus(HolderHotState h, int today, CardRules rules) => new()
    {
        State = (V1.CardState)h.CardState,
        FreezeReason = (V1.FreezeReason)h.Freeze.First,
        FreezeReasons = { h.Freeze.Reasons.Select(r => (V1.FreezeReason)r) },
        RewriteApproved = h.RewriteApproved,
        SingleLimitFen = h.SingleLimitFen,
        DailyLimitFen = h.DailyLimitFen,
        DaySpentFen = h.SpendDay == today ? h.DaySpentFen : 0,
        PinLocked = h.PinFails >= rules.PinAttempts,
        PinIsDefault = h.PinIsDefault,
        AutoTopUpThresholdFen = h.AutoThresholdFen,
        AutoTopUpAmountFen = h.AutoTopUpFen,
        PaymentPasswordSet = h.PaymentPasswordSet,
        PaymentPasswordLocked = h.PaymentPasswordFails >= rules.PaymentPasswordAttempts,
    };

    public static V1.Balances ToMessage(this Balances b) => new() { PurseFen = b.PurseFen, WalletFen = b.WalletFen, PendingFen = b.PendingFen, HeldFen = b.HeldFen };

    public static Timestamp DecidedAt(this Decision d) => Timestamp.FromDateTimeOffset(d.DecidedAt);

    public static V1.Outcome Outcome(this Decision d) => (V1.Outcome)d.Outcome;

    public static V1.DeclineReason Reason(this Decision d) => (V1.DeclineReason)d.Reason;
}
