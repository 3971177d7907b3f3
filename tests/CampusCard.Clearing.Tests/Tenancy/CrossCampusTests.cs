using System.Text;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Fuzz;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Xunit.Abstractions;

namespace CampusCard.Clearing.Tests.Tenancy;

/// <summary>
/// Every RPC, called by every role it allows of another campus, about this campus's cardholders, cards, merchants and
/// terminals (issue 26: "every RPC × role is tested across campuses"). The requests are the fuzz harness's valid seeds
/// (<see cref="SeedBook"/>), built from the RPCs' descriptors, so a new RPC is covered without a change here. None may
/// answer with this campus's data or change it: a refusal (PERMISSION_DENIED, NOT_FOUND, INVALID_ARGUMENT,
/// FAILED_PRECONDITION...) or an answer about the caller's own campus (an unknown person or card there) are the outcomes.
/// </summary>
public class CrossCampusTests(ITestOutputHelper output) : FuzzWorldTestBase
{
    private const string Other = "other";

    /// <summary>What this campus's cardholders are named: no answer to the other campus may carry it.</summary>
    private const string HolderName = "本校区持卡人";

    private const int SeedsPerCaller = 3;

    [Fact]
    public async Task A_caller_of_another_campus_gets_none_of_this_campuss_data_and_changes_none_by_any_rpc()
    {
        var world = await BuildWorldAsync(accounts: 4, HolderName);
        var before = await ThisCampusAsync(world);
        await CreateCampusAsync(Other, "另一校区");
        var otherTerminal = await OtherTerminalAsync();
        var rpcs = RpcCatalog.Targets((IEndpointRouteBuilder)Service.App).Where(r => r.Method.Service.Name != "Admin").ToList();
        var random = new Random(26);
        var calls = new List<(string Rpc, FuzzCaller Caller, string Status, string Reply)>();

        foreach (var rpc in rpcs)
        foreach (var role in rpc.Roles)
        for (var i = 0; i < SeedsPerCaller; i++)
        {
            var caller = new FuzzCaller(role, role == CallerRole.Terminal ? otherTerminal : null, Other);
            var context = new SeedContext
            {
                Random = random, World = world, Caller = caller, Subject = world.Holders[i % world.Holders.Count], RequestId = NextId("x"),
                EarlierRequestIds = [], Sequence = 1_000 + calls.Count, RunTag = "cross",
            };
            var (status, reply) = await SendAsync(rpc, caller, Wire.Write(SeedBook.Build(rpc.Method.InputType, context)));
            calls.Add((rpc.Name, caller, status, reply));
        }
        foreach (var group in calls.GroupBy(c => (c.Rpc, c.Caller.Role)))
            output.WriteLine($"{group.Key.Rpc} as {Caller.RoleName(group.Key.Role)}: {string.Join(", ", group.Select(c => c.Status).Distinct())}");

        Assert.DoesNotContain(calls, c => c.Status is nameof(StatusCode.Internal) or nameof(StatusCode.Unknown));
        var leaks = calls.Where(c => c.Reply.Contains(HolderName, StringComparison.Ordinal) || c.Reply.Contains("模糊 FZ-", StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "answered with this campus's data: " + string.Join("; ", leaks.Select(l => $"{l.Rpc} as {l.Caller}")));
        Assert.Equal(before, await ThisCampusAsync(world));
        Assert.Equal(rpcs.Select(r => r.Name).Order(), calls.Select(c => c.Rpc).Distinct().Order());
        Assert.Contains(calls, c => c.Status == nameof(StatusCode.NotFound));
        Assert.Contains(calls, c => c.Status == nameof(StatusCode.OK));
    }

    [Fact]
    public async Task The_vendor_is_refused_every_rpc_but_admin_and_every_campus_role_is_refused_admin()
    {
        await CreateCampusAsync(Other, "另一校区");
        var otherTerminal = await OtherTerminalAsync();
        var rpcs = RpcCatalog.Targets((IEndpointRouteBuilder)Service.App);
        var vendor = new FuzzCaller(CallerRole.Vendor, null);
        var refused = new List<(string Rpc, string Caller, string Status)>();

        foreach (var rpc in rpcs)
        {
            var empty = Array.Empty<byte>();
            if (rpc.Method.Service.Name != "Admin") refused.Add((rpc.Name, "vendor", (await SendAsync(rpc, vendor, empty)).Status));
            else
                foreach (var role in Enum.GetValues<CallerRole>().Where(r => r != CallerRole.Vendor))
                    refused.Add((rpc.Name, Caller.RoleName(role), (await SendAsync(rpc, new FuzzCaller(role, role == CallerRole.Terminal ? otherTerminal : null, Other), empty)).Status));
        }

        Assert.All(refused, r => Assert.True(r.Status == nameof(StatusCode.PermissionDenied), $"{r.Rpc} as {r.Caller}: {r.Status}"));
        var admin = rpcs.Count(r => r.Method.Service.Name == "Admin");
        Assert.Equal(rpcs.Count - admin + admin * (Enum.GetValues<CallerRole>().Length - 1), refused.Count);
    }

    /// <summary>A merchant and a registered terminal of the other campus: its terminal role's caller.</summary>
    private async Task<FuzzTerminal> OtherTerminalAsync()
    {
        var office = new Cards.CardsClient(As(CallerRole.Office, Other));
        await CallAsync(office.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "OTHER-CANTEEN", Name = "另一食堂", Category = Contracts.V1.MerchantCategory.Dining });
        await CallAsync(office.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = "T-OTHER", MerchantId = "OTHER-CANTEEN" });
        return new FuzzTerminal("T-OTHER", "OTHER-CANTEEN");
    }

    /// <summary>This campus as its own card office sees it, and its journal's rows: what the other campus's calls must leave as it was.</summary>
    private async Task<string> ThisCampusAsync(FuzzWorld world)
    {
        var text = new StringBuilder();
        foreach (var holder in world.Holders)
            text.AppendLine((await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = holder.PersonNo })).ToString());
        await using var count = Database.DataSource.CreateCommand("SELECT count(*), coalesce(sum(moved_fen), 0) FROM transactions WHERE campus_no = 1");
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return text.Append($"{reader.GetInt64(0)} transactions moving {reader.GetDecimal(1)} fen").ToString();
    }

    /// <summary>One call with the caller's token: its status and, when answered, its reply as text (server streams read briefly).</summary>
    private async Task<(string Status, string Reply)> SendAsync(RpcTarget rpc, FuzzCaller caller, byte[] body)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new CallOptions(new Metadata { { "authorization", "Bearer " + caller.Token } }, cancellationToken: cancel.Token);
        var invoker = Channel.CreateCallInvoker();
        var replies = new List<byte[]>();
        try
        {
            switch (rpc.Type)
            {
                case MethodType.Unary:
                    replies.Add(await invoker.AsyncUnaryCall(rpc.Raw, null, options, body));
                    break;
                case MethodType.ClientStreaming:
                    using (var stream = invoker.AsyncClientStreamingCall(rpc.Raw, null, options))
                    {
                        await WriteAsync(stream.RequestStream, body);
                        replies.Add(await stream.ResponseAsync);
                    }
                    break;
                default:
                    using (var stream = invoker.AsyncServerStreamingCall(rpc.Raw, null, options, body))
                    {
                        while (await ReadBrieflyAsync(stream.ResponseStream, cancel.Token)) replies.Add(stream.ResponseStream.Current);
                    }
                    break;
            }
            return ("OK", string.Join(" ", replies.Select(r => rpc.Method.OutputType.Parser.ParseFrom(r).ToString())));
        }
        catch (RpcException e)
        {
            return (e.StatusCode.ToString(), e.Status.Detail);
        }
    }

    /// <summary>Writes a client stream's one message; a refusal may end the call first, and the call's status, read next, tells it.</summary>
    private static async Task WriteAsync(IClientStreamWriter<byte[]> requests, byte[] body)
    {
        try
        {
            await requests.WriteAsync(body);
            await requests.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
        }
    }

    /// <summary>The next message of a server stream, or false when none comes within a second (the watch stays open).</summary>
    private static async Task<bool> ReadBrieflyAsync(IAsyncStreamReader<byte[]> responses, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            return await responses.MoveNext(wait.Token);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
