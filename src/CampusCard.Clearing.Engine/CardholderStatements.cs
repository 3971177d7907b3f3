using System.Globalization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>A page of a statement 流水, and the token of the next (null on the last).</summary>
public sealed record StatementPage(Holder Holder, IReadOnlyList<StatementLine> Lines, string? NextPageToken);

/// <summary>我的账单: a month's spend per bill category (<see cref="MerchantCategories.OnBill"/>), and the six months' totals up to it.</summary>
public sealed record MonthlyBill(Holder Holder, DateOnly Month, IReadOnlyList<(MerchantCategory Category, long AmountFen)> Categories, IReadOnlyList<(DateOnly Month, long AmountFen)> LastSixMonths)
{
    public long TotalFen => Categories.Sum(c => c.AmountFen);
}

/// <summary>Cardholders' statements and monthly bills, read from the journal (the legs' indexes; nothing on the hot path).</summary>
public sealed class CardholderStatements(IStatementReads journal, IRegistry registry, ClearingEngine engine, TimeProvider clock)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public async Task<StatementPage> StatementAsync(short campus, string personNo, string cardNo, string from, string to, int pageSize, string pageToken, CancellationToken ct)
    {
        var today = engine.RulesOf(campus).Calendar.Today(clock.GetUtcNow());
        var toDate = to.Length == 0 ? today : Date("to_date", to);
        var fromDate = from.Length == 0 ? DateOnly.FromDayNumber(Math.Max(0, toDate.DayNumber - 30)) : Date("from_date", from);
        Validation.Require(
            fromDate > toDate ? Validation.Fail("from_date", "is after to_date") : null,
            pageSize is < 0 or > MaxPageSize ? Validation.Fail("page_size", $"must be 1 to {MaxPageSize}") : null,
            pageToken.Length > 0 && !long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? Validation.Fail("page_token", "is not one this service gave") : null);
        var holder = await HolderAsync(campus, personNo, cardNo, ct);
        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var before = pageToken.Length == 0 ? long.MaxValue : long.Parse(pageToken, CultureInfo.InvariantCulture);
        var lines = await journal.StatementAsync(Days(holder, fromDate, toDate), before, size + 1, ct);
        return lines.Count > size
            ? new StatementPage(holder, lines.Take(size).ToArray(), lines[size - 1].TransactionId.ToString(CultureInfo.InvariantCulture))
            : new StatementPage(holder, lines, null);
    }

    public async Task<MonthlyBill> MonthlyBillAsync(short campus, string personNo, string month, CancellationToken ct)
    {
        Validation.Require(
            Validation.Identifier("person_no", personNo, 32),
            DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? null : Validation.Fail("month", "must be a month such as 2026-09"),
            // The bill shows the five months before it and reads to the end of the month: both must be dates.
            parsed < FirstBillMonth || parsed.Year == 9999 && parsed.Month == 12 ? Validation.Fail("month", $"must lie between {FirstBillMonth:yyyy-MM} and 9999-11") : null);
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var holder = await HolderAsync(campus, personNo, "", ct);
        var spend = await journal.SpendAsync(Days(holder, first.AddMonths(-5), first.AddMonths(1).AddDays(-1)), ct);
        var categories = Enumerable.Range((int)MerchantCategory.Dining, (int)MerchantCategory.Other)
            .Select(c => ((MerchantCategory)c, spend.Where(s => s.Month == first && MerchantCategories.OnBill(s.Category) == (MerchantCategory)c).Sum(s => s.AmountFen)))
            .ToArray();
        var months = Enumerable.Range(0, 6).Select(i => first.AddMonths(i - 5)).Select(m => (m, spend.Where(s => s.Month == m).Sum(s => s.AmountFen))).ToArray();
        return new MonthlyBill(holder, first, categories, months);
    }

    private static readonly DateOnly FirstBillMonth = new(1, 6, 1);

    private async Task<Holder> HolderAsync(short campus, string personNo, string cardNo, CancellationToken ct)
    {
        if (personNo.Length > 0)
        {
            Validation.Require(Validation.Identifier("person_no", personNo, 32));
            return await registry.FindHolderAsync(campus, personNo, ct) ?? throw new RefusedException(ErrorReason.PersonNotFound, $"no account for {personNo}");
        }
        Validation.Require(cardNo.Length == 0 ? new Violation("person_no", "person_no or card_no is required") : Validation.Identifier("card_no", cardNo, 32));
        var card = await registry.FindCardAsync(campus, cardNo, ct) ?? throw new RefusedException(ErrorReason.CardNotFound, $"no card {cardNo}");
        return await registry.GetHolderAsync(card.HolderId, ct) ?? throw new RefusedException(ErrorReason.PersonNotFound, $"no account for card {cardNo}");
    }

    private static DateOnly Date(string field, string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw RefusedException.Invalid(Validation.Fail(field, "must be a date such as 2026-09-01"));

    /// <summary>
    /// The holder's days from one date to another, by its campus's calendar; an offline record counts on the day it happened
    /// (uploaded at most the campus's OfflineMaxAge later).
    /// </summary>
    private HolderDays Days(Holder holder, DateOnly from, DateOnly to)
    {
        var rules = engine.RulesOf(holder.Campus);
        return new(holder.Id, BusinessCalendar.DayNumber(from), BusinessCalendar.DayNumber(to), rules.Calendar.DayOffset, (int)Math.Ceiling(rules.Cards.OfflineMaxAge.TotalDays) + 1);
    }
}
