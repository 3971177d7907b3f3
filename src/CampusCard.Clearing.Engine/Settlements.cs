using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>The finance settings (configuration section "Finance").</summary>
public sealed class FinanceOptions
{
    /// <summary>A business day is settled from this local time of the next day on (its late decisions journaled by then).</summary>
    public TimeOnly SettlementCutOff { get; set; } = new(2, 0);

    /// <summary>How often the service checks whether the day before is settled; 0 turns the schedule off.</summary>
    public TimeSpan SettlementInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the hot state is checked against the journal (对账), differences logged; 0 turns it off.</summary>
    public TimeSpan HotStateCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The layout of the bank's daily file of top-ups (Finance:BankFile).</summary>
    public BankFileOptions BankFile { get; set; } = new();
}

/// <summary>One merchant's settlement of a day: the day's figures from the journal, and the settlement's decision.</summary>
public sealed record MerchantSettlement(MerchantDay Day, Decision? Decision, bool SettledBefore);

/// <summary>
/// 结算 (art. 8): after the cut-off, each merchant's net takings of a business day move merchant → bank clearing, once
/// per (merchant, day) however often and by however many instances it runs: each is a <see cref="TransactionKind.Settlement"/>
/// whose request id names the day and whose scope is the merchant. The figures are read from the journal up to
/// <see cref="ClearingEngine.JournaledThroughAsync"/>.
/// </summary>
public sealed class Settlements(ClearingEngine engine, IFinanceReads journal, Directory directory, IOptions<FinanceOptions> options, TimeProvider clock, ILogger<Settlements> logger)
{
    /// <summary>Settles the business day of the caller's campus's merchants; FAILED_PRECONDITION before its cut-off.</summary>
    public async Task<IReadOnlyList<MerchantSettlement>> RunAsync(DateOnly day, Caller caller, CancellationToken ct)
    {
        if (day == DateOnly.MaxValue)
            throw new RefusedException(ErrorReason.DayNotClosed, $"business day {day:yyyy-MM-dd} has no next day, so no cut-off to be settled from");
        var rules = engine.RulesOf(caller.Campus);
        var cutOff = new DateTimeOffset(day.AddDays(1).ToDateTime(rules.SettlementCutOff), rules.Calendar.UtcOffset);
        if (clock.GetUtcNow() < cutOff)
            throw new RefusedException(ErrorReason.DayNotClosed, $"business day {day:yyyy-MM-dd} is settled from {cutOff:yyyy-MM-dd HH:mm zzz} on");
        var dayNumber = BusinessCalendar.DayNumber(day);
        var days = await journal.MerchantDaysAsync(caller.Campus, dayNumber, await engine.JournaledThroughAsync(askJournal: true), ct);
        var requests = days.Select(d => new ClearingRequest
        {
            Kind = TransactionKind.Settlement,
            RequestId = SettlementKind.RequestIdOf(day),
            Campus = caller.Campus,
            MerchantId = d.MerchantId,
            MerchantNo = d.MerchantNo,
            AmountFen = Math.Max(0, d.NetFen),
            Ref = dayNumber,
            Caller = caller,
        }).ToArray();
        var answers = requests.Length == 0 ? [] : engine.SubmitAll(requests, "merchants", ct);
        var settled = new List<MerchantSettlement>(days.Count);
        for (var i = 0; i < days.Count; i++)
        {
            var answer = await answers[i];
            settled.Add(new MerchantSettlement(days[i], answer.Decision, answer.Outcome != HotOutcome.New || days[i].SettledFen > 0));
        }
        Log.Settled(logger, Log.Iso8601(day), settled.Count(s => !s.SettledBefore), settled.Where(s => !s.SettledBefore).Sum(s => s.Decision?.MovedFen ?? 0));
        return settled;
    }

    /// <summary>
    /// Settles each campus's day before whenever the campus's cut-off (in its own time) has passed; each campus's day once
    /// per process, and once in all by its request ids.
    /// </summary>
    public async Task RunScheduleAsync(CancellationToken stopping)
    {
        var interval = options.Value.SettlementInterval;
        if (interval <= TimeSpan.Zero) return;
        var done = new Dictionary<short, DateOnly>();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stopping);
                if (engine.State != EngineState.Ready) continue;
                foreach (var campus in await directory.CampusesAsync(stopping))
                {
                    var rules = engine.RulesOf(campus.No);
                    var local = rules.Calendar.Local(clock.GetUtcNow());
                    var yesterday = DateOnly.FromDateTime(local.DateTime).AddDays(-1);
                    if (done.GetValueOrDefault(campus.No) == yesterday || TimeOnly.FromDateTime(local.DateTime) < rules.SettlementCutOff) continue;
                    await RunAsync(yesterday, Caller.System with { Campus = campus.No }, stopping);
                    done[campus.No] = yesterday;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SettlementFailed(logger, e);
            }
        }
    }
}
