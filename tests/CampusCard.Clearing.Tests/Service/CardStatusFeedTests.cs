using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Terminal.WatchCardStatus, the card-status feed (黑名单下发).</summary>
[Trait("Suite", "Cluster")]
public class CardStatusFeedTests : ServiceTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Engine:CardStatusInterval", "00:00:00.02")];

    [SingleInstanceFact("the refusals another instance journaled (its batches join the first snapshot once acknowledged, within the sweep interval; until then their changes come one by one after it)")]
    public async Task A_new_subscriber_gets_every_card_to_refuse_and_nothing_else()
    {
        var merchant = await OpenMerchantAsync();
        var active = await OpenFundedAccountAsync(5_000);
        var lost = await OpenAccountAsync();
        var frozen = await OpenAccountAsync();
        var replaced = await OpenFundedAccountAsync(5_000);
        await CallAsync(Cards.ReportLossAsync, new ReportLossRequest { RequestId = NextId(), PersonNo = lost.PersonNo });
        await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = frozen.PersonNo, Reason = FreezeReason.Admin });
        var replacement = await CallAsync(Cards.ReplaceCardAsync, new ReplaceCardRequest { RequestId = NextId(), PersonNo = replaced.PersonNo, Reason = ReplaceReason.Lost });

        var changes = await WatchAsync(TerminalOf(merchant.MerchantId), 0, count: 3);

        Assert.Equal([(lost.CardNo, true, false), (frozen.CardNo, true, false), (replaced.CardNo, true, true)],
            changes.Select(c => (c.CardNo, c.Refused, c.Replaced)).OrderBy(c => c.Item3).ThenBy(c => c.CardNo == frozen.CardNo));
        Assert.DoesNotContain(changes, c => c.CardNo == active.CardNo || c.CardNo == replacement.CardNo);
        Assert.Equal(changes.Select(c => c.Version).Order(), changes.Select(c => c.Version));
    }

    [Fact]
    public async Task Changes_arrive_as_they_are_journaled_and_a_resumed_subscriber_misses_none()
    {
        var merchant = await OpenMerchantAsync();
        var terminal = TerminalOf(merchant.MerchantId);
        var account = await OpenFundedAccountAsync(5_000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = terminal.WatchCardStatus(new WatchCardStatusRequest(), cancellationToken: cancel.Token);
        var stream = watch.ResponseStream;

        await CallAsync(Cards.ReportLossAsync, new ReportLossRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        Assert.True(await stream.MoveNext());
        var lost = stream.Current;
        await CallAsync(Cards.CancelLossAsync, new CancelLossRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        Assert.True(await stream.MoveNext());
        var found = stream.Current;
        watch.Dispose();
        await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Admin });
        var resumed = await WatchAsync(terminal, found.Version, count: 1);

        Assert.Equal((account.CardNo, CardState.Lost, true), (lost.CardNo, lost.State, lost.Refused));
        Assert.Equal((account.CardNo, CardState.Active, false), (found.CardNo, found.State, found.Refused));
        Assert.True(found.Version > lost.Version);
        Assert.Equal((CardState.Frozen, true), (resumed[0].State, resumed[0].Refused));
        Assert.True(resumed[0].Version > found.Version);
    }

    [Fact]
    public async Task Only_terminals_watch_the_feed()
    {
        var e = await AssertStatusAsync(StatusCode.PermissionDenied, () => WatchAsync(new Terminal.TerminalClient(As(Domain.CallerRole.Kiosk)), 0, count: 1));

        Assert.Contains("kiosk", e.Status.Detail);
    }

    private static async Task<List<CardStatusChange>> WatchAsync(Terminal.TerminalClient terminal, long since, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = terminal.WatchCardStatus(new WatchCardStatusRequest { SinceVersion = since }, cancellationToken: cancel.Token);
        var changes = new List<CardStatusChange>();
        while (changes.Count < count && await watch.ResponseStream.MoveNext(cancel.Token)) changes.Add(watch.ResponseStream.Current);
        return changes;
    }
}
