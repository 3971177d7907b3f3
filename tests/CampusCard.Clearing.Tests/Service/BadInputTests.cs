using System.Net;
using System.Net.Http.Headers;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Requests no well-behaved gRPC client sends, made by hand over HTTP/2; after each the server must still serve.</summary>
public class BadInputTests : ServiceTestBase
{
    private const string DebitPath = "/campuscard.clearing.v1.Terminal/Debit";
    private static readonly HttpClient Http = new(new SocketsHttpHandler());

    [Fact]
    public async Task Garbage_bytes_end_the_call_with_a_status_and_the_server_keeps_serving()
    {
        var (http, grpc, _) = await SendAsync(DebitPath, "this is not a gRPC frame"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, http);
        Assert.NotEqual("0", grpc);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_body_ending_inside_a_frame_is_an_error_and_the_server_keeps_serving()
    {
        var (_, grpc, message) = await SendAsync(DebitPath, [0, 0, 0, 0, 10, .. "abc"u8]);

        Assert.Equal("13", grpc);
        Assert.Contains("Incomplete message", message);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_message_that_does_not_parse_is_an_error_and_changes_nothing()
    {
        var (_, grpc, _) = await SendAsync(DebitPath, [0, 0, 0, 0, 2, 0xFF, 0xFE]);

        Assert.NotEqual("0", grpc);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_wrong_content_type_is_refused_and_the_server_keeps_serving()
    {
        var (http, _, _) = await SendAsync(DebitPath, [0, 0, 0, 0, 0], contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, http);
        await AssertStillServingAsync();
    }

    private async Task<(HttpStatusCode Http, string? GrpcStatus, string? GrpcMessage)> SendAsync(string path, byte[] body, string contentType = "application/grpc")
    {
        var merchant = await OpenMerchantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Address + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId));
        using var response = await Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.Single()
            : response.Headers.TryGetValues(name, out var h) ? h.Single() : null;
        return (response.StatusCode, Header("grpc-status"), Header("grpc-message"));
    }

    private async Task AssertStillServingAsync()
    {
        var account = await OpenFundedAccountAsync(100);
        Assert.Equal(100L, await PurseAsync(account));
    }
}

/// <summary>Every RPC is allowed to its named roles only (docs/invariants.md, invariant 10): the table here is the specification.</summary>
public class AuthorizationTests : ServiceTestBase
{
    private static readonly Dictionary<string, CallerRole[]> Allowed = new()
    {
        ["campuscard.clearing.v1.Terminal/Debit"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/Reverse"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/DebitBatch"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/GetBalance"] = [CallerRole.Terminal, CallerRole.Kiosk],
        ["campuscard.clearing.v1.Funding/QuotaTopUp"] = [CallerRole.Bank],
        ["campuscard.clearing.v1.Funding/Credit"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Funding/Transfer"] = [CallerRole.Kiosk, CallerRole.Payments],
        ["campuscard.clearing.v1.Cards/OpenAccount"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/GetAccount"] = [CallerRole.Office, CallerRole.Kiosk, CallerRole.Payments, CallerRole.Finance],
        ["campuscard.clearing.v1.Cards/OpenMerchant"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/RegisterTerminal"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/RevokeTerminal"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/ReportLoss"] = [CallerRole.Office, CallerRole.Kiosk, CallerRole.Payments],
        ["campuscard.clearing.v1.Cards/CancelLoss"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/ReplaceCard"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/Freeze"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/Unfreeze"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/CloseAccount"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/ResetPin"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/ResetPaymentPassword"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Kiosk/CancelLoss"] = [CallerRole.Kiosk],
        ["campuscard.clearing.v1.Kiosk/RewriteCard"] = [CallerRole.Kiosk],
        ["campuscard.clearing.v1.Kiosk/ChangePin"] = [CallerRole.Kiosk],
        ["campuscard.clearing.v1.Kiosk/SetLimits"] = [CallerRole.Kiosk],
        ["campuscard.clearing.v1.Terminal/WatchCardStatus"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/Hold"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/SettleHold"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/ReleaseHold"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Terminal/UploadOffline"] = [CallerRole.Terminal],
        ["campuscard.clearing.v1.Kiosk/ClaimPending"] = [CallerRole.Kiosk],
        ["campuscard.clearing.v1.Kiosk/SetAutoTopUp"] = [CallerRole.Kiosk],
        ["campuscard.clearing.v1.Funding/TopUpWallet"] = [CallerRole.Bank],
        ["campuscard.clearing.v1.Funding/WatchAutoTopUps"] = [CallerRole.Bank],
        ["campuscard.clearing.v1.Cards/IssueSubsidies"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Cards/RecallSubsidies"] = [CallerRole.Office],
        ["campuscard.clearing.v1.Payments/SetPassword"] = [CallerRole.Payments],
        ["campuscard.clearing.v1.Payments/Pay"] = [CallerRole.Payments, CallerRole.Kiosk],
        ["campuscard.clearing.v1.Payments/Refund"] = [CallerRole.Payments],
        ["campuscard.clearing.v1.Finance/RunSettlement"] = [CallerRole.Office, CallerRole.Finance],
        ["campuscard.clearing.v1.Finance/CheckHotState"] = [CallerRole.Office, CallerRole.Finance],
        ["campuscard.clearing.v1.Finance/ReconcileBankFile"] = [CallerRole.Office, CallerRole.Finance],
        ["campuscard.clearing.v1.Statements/GetStatement"] = [CallerRole.Kiosk, CallerRole.Payments, CallerRole.Office, CallerRole.Finance],
        ["campuscard.clearing.v1.Statements/GetMonthlyBill"] = [CallerRole.Kiosk, CallerRole.Payments, CallerRole.Office, CallerRole.Finance],
    };

    [Fact]
    public void The_table_names_every_method_of_every_service()
    {
        var methods = Contracts.V1.TerminalReflection.Descriptor.Services
            .Concat(Contracts.V1.FundingReflection.Descriptor.Services)
            .Concat(Contracts.V1.CardsReflection.Descriptor.Services)
            .Concat(Contracts.V1.KioskReflection.Descriptor.Services)
            .Concat(Contracts.V1.PaymentsReflection.Descriptor.Services)
            .Concat(Contracts.V1.FinanceReflection.Descriptor.Services)
            .Concat(Contracts.V1.StatementsReflection.Descriptor.Services)
            .SelectMany(s => s.Methods.Select(m => $"{s.FullName}/{m.Name}"));

        Assert.Equal(methods.Order(), Allowed.Keys.Order());
    }

    [Fact]
    public async Task Each_role_may_call_what_it_is_allowed_to_and_nothing_else()
    {
        var merchant = await OpenMerchantAsync();
        var failures = new List<string>();
        foreach (var (method, allowed) in Allowed)
        {
            foreach (var role in Enum.GetValues<CallerRole>())
            {
                var token = role == CallerRole.Terminal
                    ? TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId)
                    : TestCredentials.Token(role);
                var status = await EmptyCallAsync(method, token);
                var refused = status == Grpc.Core.StatusCode.PermissionDenied;
                if (refused == allowed.Contains(role) || status == Grpc.Core.StatusCode.Unauthenticated)
                    failures.Add($"{Caller.RoleName(role)} → {method}: {status}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
    }

    [Fact]
    public async Task Without_a_valid_credential_every_method_is_unauthenticated()
    {
        var tokens = new string?[]
        {
            null,
            "not.a.jwt",
            TestCredentials.Token(new Caller(CallerRole.Office, "expired"), TimeSpan.FromMinutes(-10)),
            TestCredentials.Stranger.Issue(new Caller(CallerRole.Office, "stranger"), TimeSpan.FromHours(1)),
        };
        foreach (var method in Allowed.Keys)
        {
            foreach (var token in tokens) Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, await EmptyCallAsync(method, token));
        }
    }

    [Fact]
    public async Task A_terminal_acts_only_as_itself_for_its_own_merchant()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var canteen = await OpenMerchantAsync();
        var other = await OpenMerchantAsync();
        var terminal = TerminalOf(canteen.MerchantId);

        var otherMerchant = await AssertStatusAsync(Grpc.Core.StatusCode.PermissionDenied, () => CallAsync(terminal.DebitAsync, Debit(account, other, 100)));
        var otherTerminal = await AssertStatusAsync(Grpc.Core.StatusCode.PermissionDenied,
            () => CallAsync(terminal.DebitAsync, Debit(account, canteen, 100).With(d => d.TerminalId = TerminalIdOf(other.MerchantId))));
        var wrongClaim = await AssertStatusAsync(Grpc.Core.StatusCode.Unauthenticated, () => CallAsync(
            new Contracts.V1.Terminal.TerminalClient(Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf(canteen.MerchantId), other.MerchantId))).DebitAsync,
            Debit(account, canteen, 100)));
        var ownIdsOmitted = await CallAsync(terminal.DebitAsync, Debit(account, canteen, 100).With(d => { d.MerchantId = ""; d.TerminalId = ""; }));

        Assert.Equal($"terminal {TerminalIdOf(canteen.MerchantId)} acts for merchant {canteen.MerchantId}, not for {other.MerchantId}", otherMerchant.Status.Detail);
        Assert.Contains("not", otherTerminal.Status.Detail);
        Assert.Equal($"terminal {TerminalIdOf(canteen.MerchantId)} is registered to merchant {canteen.MerchantId}, not to '{other.MerchantId}'", wrongClaim.Status.Detail);
        Assert.Equal(Contracts.V1.Outcome.Approved, ownIdsOmitted.Outcome);
        Assert.Equal(canteen.MerchantId, await Database.ScalarAsync<string>($"SELECT merchant_id FROM transactions WHERE id = {ownIdsOmitted.TransactionId}"));
        Assert.Equal(900L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_revoked_terminal_is_refused_at_once_and_registered_again_only_its_new_tokens_are_taken()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var canteen = await OpenMerchantAsync();
        var terminalId = TerminalIdOf(canteen.MerchantId);
        // Issued before the terminal is registered again (the service's clock is the test's).
        var oldToken = TerminalTokenIssuedAt(terminalId, canteen.MerchantId, Clock.GetUtcNow().AddHours(-1));
        await CallAsync(new Contracts.V1.Terminal.TerminalClient(Channel.WithToken(oldToken)).DebitAsync, Debit(account, canteen, 100));

        await CallAsync(Cards.RevokeTerminalAsync, new Contracts.V1.RevokeTerminalRequest { TerminalId = terminalId });
        var refused = await AssertRefusedAsync(Grpc.Core.StatusCode.Unauthenticated, ErrorReason.TerminalRevoked, () => DebitAsync(Debit(account, canteen, 100)));
        var again = await CallAsync(Cards.RegisterTerminalAsync, new Contracts.V1.RegisterTerminalRequest { TerminalId = terminalId, MerchantId = canteen.MerchantId });
        var stale = await AssertRefusedAsync(Grpc.Core.StatusCode.Unauthenticated, ErrorReason.TokenPredatesRegistration,
            () => CallAsync(new Contracts.V1.Terminal.TerminalClient(Channel.WithToken(oldToken)).DebitAsync, Debit(account, canteen, 100)));
        var fresh = TerminalTokenIssuedAt(terminalId, canteen.MerchantId, Clock.GetUtcNow().AddSeconds(1));
        var served = await CallAsync(new Contracts.V1.Terminal.TerminalClient(Channel.WithToken(fresh)).DebitAsync, Debit(account, canteen, 100));

        Assert.Equal($"terminal {terminalId} was revoked by the card office", refused.Status.Detail);
        Assert.Equal((canteen.MerchantId, null), (again.MerchantId, again.RevokedAt));
        Assert.Contains("issued before", stale.Status.Detail);
        Assert.Equal(Contracts.V1.Outcome.Approved, served.Outcome);
        Assert.Equal(800L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_terminal_moved_to_another_merchant_acts_for_it_and_its_tokens_from_before_are_refused()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var (canteen, shop) = (await OpenMerchantAsync(), await OpenMerchantAsync());
        var terminalId = TerminalIdOf(canteen.MerchantId);
        var before = TerminalTokenIssuedAt(terminalId, shop.MerchantId, Clock.GetUtcNow().AddHours(-1));

        var moved = await CallAsync(Cards.RegisterTerminalAsync, new Contracts.V1.RegisterTerminalRequest { TerminalId = terminalId, MerchantId = shop.MerchantId });
        var oldMerchant = await AssertRefusedAsync(Grpc.Core.StatusCode.Unauthenticated, ErrorReason.TerminalMerchantMismatch, () => DebitAsync(Debit(account, canteen, 100)));
        var stale = await AssertRefusedAsync(Grpc.Core.StatusCode.Unauthenticated, ErrorReason.TokenPredatesRegistration,
            () => CallAsync(new Contracts.V1.Terminal.TerminalClient(Channel.WithToken(before)).DebitAsync, Debit(account, shop, 100).With(d => d.TerminalId = terminalId)));
        var fresh = TerminalTokenIssuedAt(terminalId, shop.MerchantId, Clock.GetUtcNow().AddSeconds(1));
        var served = await CallAsync(new Contracts.V1.Terminal.TerminalClient(Channel.WithToken(fresh)).DebitAsync, Debit(account, shop, 100).With(d => d.TerminalId = terminalId));

        Assert.Equal(shop.MerchantId, moved.MerchantId);
        Assert.Contains(shop.MerchantId, oldMerchant.Status.Detail);
        Assert.Contains("issued before", stale.Status.Detail);
        Assert.Equal(Contracts.V1.Outcome.Approved, served.Outcome);
        Assert.Equal(shop.MerchantId, await Database.ScalarAsync<string>($"SELECT merchant_id FROM transactions WHERE id = {served.TransactionId}"));
    }

    /// <summary>A terminal token issued at a time of the test's choosing, valid for a year (the service checks expiry on the real clock).</summary>
    private static string TerminalTokenIssuedAt(string terminalId, string merchantId, DateTimeOffset issuedAt) =>
        TestCredentials.Issuer.Issue(new Caller(CallerRole.Terminal, $"terminal:{terminalId}", terminalId, merchantId), TimeSpan.FromDays(365), issuedAt);

    private async Task<Grpc.Core.StatusCode> EmptyCallAsync(string method, string? token)
    {
        var invoker = token is null ? Channel.CreateCallInvoker() : Channel.WithToken(token);
        var (service, name) = (method[..method.IndexOf('/')], method[(method.IndexOf('/') + 1)..]);
        var raw = new Grpc.Core.Method<byte[], byte[]>(Grpc.Core.MethodType.Unary, service, name, Bytes, Bytes);
        try
        {
            // A stream that was let in waits for changes: its deadline ends it, which is not a refusal.
            var wait = name.StartsWith("Watch", StringComparison.Ordinal) ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
            await invoker.AsyncUnaryCall(raw, null, new Grpc.Core.CallOptions(deadline: DateTime.UtcNow.Add(wait)), []);
            return Grpc.Core.StatusCode.OK;
        }
        catch (Grpc.Core.RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static readonly Grpc.Core.Marshaller<byte[]> Bytes = Grpc.Core.Marshallers.Create(b => b, b => b);
}
