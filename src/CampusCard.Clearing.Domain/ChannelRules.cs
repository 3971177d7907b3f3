namespace CampusCard.Clearing.Domain;

/// <summary>
/// The rules of a top-up channel (圈存 from the bank: 20 to 200 yuan, 05:00 to 22:00, handbook 3.1).
/// A request outside them is declined, not rejected: the bank gateway shows the reason.
/// </summary>
public sealed record ChannelRules
{
    public long MinFen { get; init; } = 1;
    public long MaxFen { get; init; } = Validation.MaxAmountFen;
    public TimeOnly OpensAt { get; init; } = TimeOnly.MinValue;
    public TimeOnly ClosesAt { get; init; } = TimeOnly.MaxValue;

    /// <summary>
    /// The card must confirm the channel's top-ups (handbook 3.1 way two: 网上转账，再到校园卡自助终端机确认转账): they wait
    /// as pending until claimed at a kiosk, or at the next debit where the campus claims automatically.
    /// </summary>
    public bool ToPending { get; init; }

    public DeclineReason Check(long amountFen, TimeOnly localTime)
    {
        if (localTime < OpensAt || localTime > ClosesAt) return DeclineReason.OutsideServiceHours;
        if (amountFen < MinFen || amountFen > MaxFen) return DeclineReason.AmountOutOfRange;
        return DeclineReason.None;
    }
}
