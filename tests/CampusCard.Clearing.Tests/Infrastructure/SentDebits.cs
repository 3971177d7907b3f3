using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using StackExchange.Redis;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>The debits a fault test's callers sent, each with the terminal that sent it and the answer it got, if any.</summary>
public static class SentDebits
{
    /// <summary>
    /// Every debit sent, sent again: an answered one gets its first answer, an unanswered one is decided now; the journal
    /// holds each once, the purses lost exactly what the approved ones took from <paramref name="fundedFen"/>, and the
    /// invariants hold.
    /// </summary>
    public static async Task AssertNothingAnsweredLostOrDoubledAsync(
        IReadOnlyList<(Terminal.TerminalClient Terminal, DebitRequest Request, DebitReply? Reply)> sent, long fundedFen,
        ScratchDatabase database, IDatabase redis, string prefix)
    {
        var taken = 0L;
        foreach (var byTerminal in sent.GroupBy(d => d.Terminal))
        {
            foreach (var chunk in byTerminal.Chunk(500))
            {
                var again = await DecidedAsync(byTerminal.Key, [.. chunk.Select(d => d.Request)]);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (chunk[i].Reply is { } first) Assert.Equal(first, again[i]);
                    if (again[i].Outcome == Outcome.Approved) taken += chunk[i].Request.AmountFen;
                }
            }
        }
        Assert.Equal((long)sent.Count, await database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 1"));
        Assert.Equal(fundedFen - taken, await database.ScalarAsync<long>("SELECT sum(amount_fen)::bigint FROM postings WHERE account_kind = 1"));
        await Invariants.AssertHoldAsync(database, prefix, sent.Where(s => s.Reply is not null).Select(s => s.Reply!.TransactionId), redis);
    }

    /// <summary>The debits' replies, sent again while some are refused for now (a partition still being rebuilt), for up to 30 s.</summary>
    private static async Task<DebitReply[]> DecidedAsync(Terminal.TerminalClient terminal, DebitRequest[] debits)
    {
        var replies = new DebitReply[debits.Length];
        for (var attempt = 0; ; attempt++)
        {
            var open = Enumerable.Range(0, debits.Length).Where(i => replies[i] is null or { Status: not null }).ToArray();
            if (open.Length == 0) return replies;
            Assert.True(attempt < 60, $"{open.Length} debits still refused after 30 s: {replies[open[0]]?.Status}");
            if (attempt > 0) await Task.Delay(500);
            var batch = new DebitBatchRequest();
            batch.Debits.AddRange(open.Select(i => debits[i]));
            var again = (await terminal.DebitBatchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(60))).Replies;
            for (var j = 0; j < open.Length; j++) replies[open[j]] = again[j];
        }
    }
}
