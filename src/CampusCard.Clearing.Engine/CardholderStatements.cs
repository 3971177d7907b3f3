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
public sealed class CardholderStatements(IJournal journal, IRegistry registry, ClearingEngine engine, TimeProvider clock)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public async Task<StatementPage> StatementAsync(string personNo, string cardNo, string from, string to, int pageSize, string pageToken, CancellationToken ct)
    {
        var today = engine.Calendar.Today(clock.GetUtcNow());
        var toDate = to.Length == 0 ? today : Date("to_date", to);
        var fromDate = from.Length == 0 ? DateOnly.FromDayNumber(Math.Max(0, toDate.DayNumber - 30)) : Date("from_date", from);
        Require(
            fromDate > toDate ? "from_date is after to_date" : null,
            pageSize is < 0 or > MaxPageSize ? $"page_size must be 1 to {MaxPageSize}" : null,
            pageToken.Length > 0 && !long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? "page_token is not one this service gave" : null);
        var holder = await HolderAsync(personNo, cardNo, ct);
        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var before = pageToken.Length == 0 ? long.MaxValue : long.Parse(pageToken, CultureInfo.InvariantCulture);
        var lines = await journal.StatementAsync(holder.Id, Day(fromDate), Day(toDate), before, size + 1, ct);
        return lines.Count > size
            ? new StatementPage(holder, lines.Take(size).ToArray(), lines[size - 1].TransactionId.ToString(CultureInfo.InvariantCulture))
            : new StatementPage(holder, lines, null);
    }

    public async Task<MonthlyBill> MonthlyBillAsync(string personNo, string month, CancellationToken ct)
    {
        Require(
            Validation.Identifier("person_no", personNo, 32),
            DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? null : "month must be a month such as 2026-09",
            // The bill shows the five months before it and reads to the end of the month: both must be dates.
            parsed < FirstBillMonth || parsed.Year == 9999 && parsed.Month == 12 ? $"month must lie between {FirstBillMonth:yyyy-MM} and 9999-11" : null);
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var holder = await HolderAsync(personNo, "", ct);
        var spend = await journal.SpendAsync(holder.Id, Day(first.AddMonths(-5)), Day(first.AddMonths(1)) - 1, ct);
        var categories = Enumerable.Range((int)MerchantCategory.Dining, (int)MerchantCategory.Other)
            .Select(c => ((MerchantCategory)c, spend.Where(s => s.Month == first && MerchantCategories.OnBill(s.Category) == (MerchantCategory)c).Sum(s => s.AmountFen)))
            .ToArray();
        var months = Enumerable.Range(0, 6).Select(i => first.AddMonths(i - 5)).Select(m => (m, spend.Where(s => s.Month == m).Sum(s => s.AmountFen))).ToArray();
        return new MonthlyBill(holder, first, categories, months);
    }

    private static readonly DateOnly FirstBillMonth = new(1, 6, 1);

    private async Task<Holder> HolderAsync(string personNo, string cardNo, CancellationToken ct)
    {
        if (personNo.Length > 0)
        {
            Require(Validation.Identifier("person_no", personNo, 32));
            return await registry.FindHolderAsync(personNo, ct) ?? throw new RefusedException(Refusal.NotFound, $"no account for {personNo}");
        }
        Require(cardNo.Length == 0 ? "person_no or card_no is required" : Validation.Identifier("card_no", cardNo, 32));
        var card = await registry.FindCardAsync(cardNo, ct) ?? throw new RefusedException(Refusal.NotFound, $"no card {cardNo}");
        return await registry.GetHolderAsync(card.HolderId, ct) ?? throw new RefusedException(Refusal.NotFound, $"no account for card {cardNo}");
    }

    private static DateOnly Date(string field, string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw RefusedException.Invalid($"{field} must be a date such as 2026-09-01");

    private static int Day(DateOnly date) => BusinessCalendar.DayNumber(date);

    private static void Require(params string?[] failures)
    {
        if (Validation.First(failures) is { } failure) throw RefusedException.Invalid(failure);
    }
}
