using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>One row of a subsidy batch 补助.</summary>
public readonly record struct SubsidyRow(string PersonNo, long AmountFen, string Memo);

/// <summary>What an upload of a subsidy batch did.</summary>
public sealed record SubsidySummary(
    SubsidyBatch Batch, int Rows, int Issued, long IssuedFen, int AlreadyIssued, IReadOnlyList<string> UnknownPersons, IReadOnlyList<string> ClosedAccounts,
    IReadOnlyList<string> Conflicting);

/// <summary>What a recall of a batch's unclaimed subsidies did.</summary>
public sealed record RecallSummary(string BatchId, int Recalled, long RecalledFen, int Claimed);

/// <summary>
/// Subsidy batches 补助 (handbook 2.2): subsidy fund → each person's pending balance, once per (batch, person) — the
/// batch id is each row's request id — claimed at a kiosk, and what is unclaimed after the batch's deadline recalled.
/// </summary>
public sealed class Subsidies(ClearingEngine engine, IOperationReads journal, IRegistry registry, TimeProvider clock, ILogger<Subsidies> logger)
{
    private const int Chunk = 500;

    /// <summary>
    /// Checks every row before any is issued (all or nothing for malformed input), records the batch (its first upload's
    /// deadline stays), then issues the rows not issued before.
    /// </summary>
    public async Task<SubsidySummary> IssueAsync(string batchId, DateTimeOffset? deadline, string memo, IReadOnlyList<SubsidyRow> rows, Caller caller, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Validation.Require(
            Validation.Identifier("batch_id", batchId, 40),
            Validation.Text("memo", memo, 200, required: false),
            rows.Count == 0 ? Validation.Fail("rows", "is empty") : null,
            deadline is { } d && d <= now ? Validation.Fail("claim_deadline", "must be in the future") : null,
            Rows(rows));
        var batch = await registry.OpenSubsidyBatchAsync(
            new SubsidyBatch(batchId, deadline ?? now.AddDays(engine.RulesOf(caller.Campus).Cards.SubsidyClaimDays), memo.Trim(), caller.Subject, now, caller.Campus), ct);
        int issued = 0, already = 0;
        long issuedFen = 0;
        List<string> unknown = [], closed = [], conflicting = [];
        for (var start = 0; start < rows.Count; start += Chunk)
        {
            var chunk = rows.Skip(start).Take(Chunk).Select(r => new ClearingRequest
            {
                Kind = TransactionKind.Subsidy,
                RequestId = batchId,
                Campus = caller.Campus,
                PersonNo = r.PersonNo,
                AmountFen = r.AmountFen,
                Memo = r.Memo,
                Caller = caller,
            }).ToArray();
            var answers = engine.SubmitAll(chunk, "rows", ct);
            for (var i = 0; i < chunk.Length; i++)
            {
                var answer = await answers[i];
                // A row issued before with another amount or memo: the first stands, nothing of this row changes.
                if (answer.Decision is not { } decision) conflicting.Add(chunk[i].PersonNo);
                else if (decision.Reason == DeclineReason.UnknownPerson) unknown.Add(chunk[i].PersonNo);
                else if (decision.Reason == DeclineReason.AccountClosed) closed.Add(chunk[i].PersonNo);
                else if (answer.Outcome == HotOutcome.Replay) already++;
                else
                {
                    issued++;
                    issuedFen += decision.MovedFen;
                }
            }
            Log.SubsidyProgress(logger, batchId, Math.Min(start + Chunk, rows.Count), rows.Count, issued);
        }
        return new SubsidySummary(batch, rows.Count, issued, issuedFen, already, unknown, closed, conflicting);
    }

    /// <summary>Returns what is unclaimed of the batch to the subsidy fund; FAILED_PRECONDITION before its deadline.</summary>
    public async Task<RecallSummary> RecallAsync(string batchId, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.Identifier("batch_id", batchId, 40));
        var batch = await registry.FindSubsidyBatchAsync(caller.Campus, batchId, ct) ?? throw new RefusedException(ErrorReason.SubsidyBatchNotFound, $"no subsidy batch {batchId}");
        if (clock.GetUtcNow() < batch.Deadline)
            throw new RefusedException(ErrorReason.SubsidyBatchStillOpen, $"subsidy batch {batchId} may be claimed until {batch.Deadline:O}; it is recalled after that");
        var persons = await journal.SubsidizedPersonsAsync(caller.Campus, batchId, ct);
        int recalled = 0, claimed = 0;
        long fen = 0;
        foreach (var chunk in persons.Chunk(Chunk))
        {
            var answers = engine.SubmitAll([.. chunk.Select(p => new ClearingRequest
            {
                Kind = TransactionKind.RecallSubsidy,
                RequestId = "recall-" + batchId,
                Campus = caller.Campus,
                PersonNo = p,
                OriginalRequestId = batchId,
                Caller = caller,
            })], "persons", ct);
            foreach (var answer in answers)
            {
                var (outcome, decision) = await answer;
                if (decision is { Outcome: Outcome.Approved } && outcome == HotOutcome.New)
                {
                    recalled++;
                    fen += decision.MovedFen;
                }
                else
                {
                    claimed++;
                }
            }
        }
        Log.SubsidiesRecalled(logger, batchId, recalled, fen);
        return new RecallSummary(batchId, recalled, fen, claimed);
    }

    /// <summary>The first malformed row (or a person named twice), by index.</summary>
    private static Violation? Rows(IReadOnlyList<SubsidyRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (Validation.First(Validation.Identifier("person_no", r.PersonNo, 32), Validation.Amount(r.AmountFen), Validation.Text("memo", r.Memo, 200, required: false)) is { } failure)
                return failure.Within($"rows[{i}]");
            if (!seen.TryAdd(r.PersonNo, i)) return new Violation($"rows[{i}].person_no", $"rows[{i}]: person {r.PersonNo} is in the batch already (rows[{seen[r.PersonNo]}])");
        }
        return null;
    }
}
