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
                var batch = new DebitBatchRequest();
                batch.Debits.AddRange(chunk.Select(d => d.Request));
                var again = (await byTerminal.Key.DebitBatchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(60))).Replies;
                for (var i = 0; i < chunk.Length; i++)
                {
                    Assert.Null(again[i].Status);
                    if (chunk[i].Reply is { } first) Assert.Equal(first, again[i]);
                    if (again[i].Outcome == Outcome.Approved) taken += chunk[i].Request.AmountFen;
                }
            }
        }
        Assert.Equal((long)sent.Count, await database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 1"));
        Assert.Equal(fundedFen - taken, await database.ScalarAsync<long>("SELECT sum(amount_fen)::bigint FROM postings WHERE account_kind = 1"));
        await Invariants.AssertHoldAsync(database, prefix, sent.Where(s => s.Reply is not null).Select(s => s.Reply!.TransactionId), redis);
    }
}
