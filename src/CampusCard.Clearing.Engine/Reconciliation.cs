using System.Globalization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>A field of a holder whose hot value differs from the journal's.</summary>
public sealed record HotStateDifference(string PersonNo, string Field, string Hot, string Journal);

public sealed record HotStateReport(int Holders, long JournaledThrough, IReadOnlyList<HotStateDifference> Differences);

/// <summary>A line of the bank's file or of the journal: the bank's reference (our request id), whose, how much.</summary>
public sealed record BankLine(string Reference, string PersonNo, long AmountFen, long JournalFen, long TransactionId);

public sealed record BankReconciliation(
    DateOnly Day, int Matched, long MatchedFen, IReadOnlyList<BankLine> MissingOnOurSide, IReadOnlyList<BankLine> MissingOnBankSide, IReadOnlyList<BankLine> AmountDiffers);

/// <summary>
/// 对账. (a) The hot state against the journal, per holder, compared once the journal has caught up with the hot store;
/// a holder that differs is compared again after the next catch-up (a decision in flight is not a difference), and what
/// still differs is reported, never fixed. (b) The bank's daily file of top-ups against the journal's.
/// </summary>
public sealed class Reconciliation(
    ClearingEngine engine, IFinanceReads journal, IHotStore hot, IOptions<FinanceOptions> options, TimeProvider clock, ILogger<Reconciliation> logger)
{
    private readonly BankFileLayout _bankFile = BankFileLayout.From(options.Value.BankFile);

    /// <summary>Compares the campus's holders (every campus's for <see cref="Campuses.None"/>) in the hot state with the journal.</summary>
    public async Task<HotStateReport> CheckHotStateAsync(short campus, CancellationToken ct)
    {
        var through = await CatchUpAsync(ct);
        var first = await CompareAsync(campus, null, ct);
        if (first.Differences.Count == 0) return first with { JournaledThrough = through };
        through = await CatchUpAsync(ct);
        var again = await CompareAsync(campus, first.Differences.Select(d => d.PersonNo).ToHashSet(StringComparer.Ordinal), ct);
        var report = new HotStateReport(first.Holders, through, again.Differences);
        if (report.Differences.Count > 0) Log.HotStateDiffers(logger, report.Differences.Count, string.Join("; ", report.Differences.Take(20)));
        return report;
    }

    /// <summary>Waits (a few seconds at most) until every decision the hot store made so far is in the journal.</summary>
    private async Task<long> CatchUpAsync(CancellationToken ct)
    {
        // The newest id any partition handed out so far.
        var newest = (await Task.WhenAll(hot.Partitions.All.Select(async p => TransactionIds.Of(await hot.GetSequenceAsync(p) ?? 0, p)))).Max();
        var through = await engine.JournaledThroughAsync(askJournal: true);
        for (var i = 0; i < 100 && through < newest; i++)
        {
            await Task.Delay(50, ct);
            through = await engine.JournaledThroughAsync(askJournal: true);
        }
        return through;
    }

    /// <param name="only">The holders to compare again, by their person numbers within their campuses (<see cref="Campuses.Qualify"/>).</param>
    private async Task<HotStateReport> CompareAsync(short campus, HashSet<string>? only, CancellationToken ct)
    {
        var differences = new List<HotStateDifference>();
        var holders = (await journal.HolderStatesAsync(engine.Campuses.DaysAt(clock.GetUtcNow()), ct)).Where(h => campus == Campuses.None || h.Campus == campus).ToList();
        foreach (var j in holders)
        {
            var person = Campuses.Qualify(j.Campus, j.PersonNo);
            if (only is not null && !only.Contains(person)) continue;
            if (await engine.ReadPersonAsync(j.Campus, j.PersonNo) is not { } h)
            {
                differences.Add(new HotStateDifference(person, "holder", "missing", "present"));
                continue;
            }
            Compare(differences, person, "purse_fen", h.Balances.PurseFen, j.Balances.PurseFen);
            Compare(differences, person, "wallet_fen", h.Balances.WalletFen, j.Balances.WalletFen);
            Compare(differences, person, "pending_fen", h.Balances.PendingFen, j.Balances.PendingFen);
            Compare(differences, person, "held_fen", h.Balances.HeldFen, j.Balances.HeldFen);
            if (StateOf(h) != StateOf(j)) differences.Add(new HotStateDifference(person, "state", Describe(h), Describe(j)));
        }
        return new HotStateReport(holders.Count, 0, differences);
    }

    private static void Compare(List<HotStateDifference> differences, string personNo, string field, long hot, long journal)
    {
        if (hot != journal) differences.Add(new HotStateDifference(personNo, field, hot.ToString(CultureInfo.InvariantCulture), journal.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>A holder but for what invariant 2 compares (balances) and the day's spend (the journal derives it for today only).</summary>
    private static HolderHotState StateOf(HolderHotState h) => h with { Balances = default, SpendDay = 0, DaySpentFen = 0 };

    private static string Describe(HolderHotState h) =>
        $"{h.CardState} freeze={h.Freeze} card={h.Card} limits={h.SingleLimitFen}/{h.DailyLimitFen} pin_fails={h.PinFails} auto={h.AutoOpenTxn}";

    /// <summary>The bank's file as text (a request's csv), read by its layout (Finance:BankFile), against the journal's top-ups of the campus's day.</summary>
    public Task<BankReconciliation> ReconcileBankFileAsync(short campus, DateOnly day, string text, CancellationToken ct) =>
        CompareBankFileAsync(campus, day, ReadBankFile(() => text, day), ct);

    /// <summary>The bank's file as it came (a request's file), decoded by <paramref name="encoding"/>, else by Finance:BankFile:Encoding.</summary>
    public Task<BankReconciliation> ReconcileBankFileAsync(short campus, DateOnly day, ReadOnlyMemory<byte> file, TextEncoding? encoding, CancellationToken ct) =>
        CompareBankFileAsync(campus, day, ReadBankFile(() => FileText.Decode(file.Span, encoding ?? _bankFile.Encoding), day), ct);

    /// <summary>Every line of the file, or INVALID_ARGUMENT naming the first that is not one (bytes of another encoding included).</summary>
    private List<BankLine> ReadBankFile(Func<string> text, DateOnly day)
    {
        try
        {
            return _bankFile.Parse(text(), day);
        }
        catch (BadFileException e)
        {
            throw new RefusedException(ErrorReason.InvalidFile, e.Message,
                new Dictionary<string, string> { ["line"] = e.Line.ToString(CultureInfo.InvariantCulture) });
        }
    }

    private async Task<BankReconciliation> CompareBankFileAsync(short campus, DateOnly day, List<BankLine> bank, CancellationToken ct)
    {
        var ours = (await journal.BankTopUpsAsync(campus, BusinessCalendar.DayNumber(day), ct))
            .ToDictionary(t => (t.Reference, t.PersonNo));
        int matched = 0;
        long matchedFen = 0;
        List<BankLine> missingOnOurs = [], differs = [];
        foreach (var line in bank)
        {
            if (!ours.Remove((line.Reference, line.PersonNo), out var ourLine)) missingOnOurs.Add(line);
            else if (ourLine.AmountFen != line.AmountFen) differs.Add(line with { JournalFen = ourLine.AmountFen, TransactionId = ourLine.TransactionId });
            else
            {
                matched++;
                matchedFen += line.AmountFen;
            }
        }
        var missingOnBank = ours.Values.Select(t => new BankLine(t.Reference, t.PersonNo, 0, t.AmountFen, t.TransactionId)).ToArray();
        return new BankReconciliation(day, matched, matchedFen, missingOnOurs, missingOnBank, differs);
    }

    /// <summary>Checks the hot state every interval and logs what differs; 0 turns it off.</summary>
    public async Task RunScheduleAsync(TimeSpan interval, CancellationToken stopping)
    {
        if (interval <= TimeSpan.Zero) return;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stopping);
                if (engine.State == EngineState.Ready) await CheckHotStateAsync(Campuses.None, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.HotStateCheckFailed(logger, e);
            }
        }
    }
}
