using System.Text.Json;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The real service called by python3-grpcio, an independent gRPC implementation.</summary>
public class PythonInteropTests : ServiceTestBase
{
    private readonly CapturingLoggerProvider _logs = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        // Everything reaches the capturing provider; the console keeps the base settings' level.
        services.AddSingleton<ILoggerProvider>(_logs);
        services.AddLogging(logging => logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
    }

    private Task<IReadOnlyList<JsonElement>> PythonAsync(string scenario, object? args = null) => ExternalClient.PythonAsync(Address, scenario, args);

    private Task<IReadOnlyList<JsonElement>> CallAsync(string method, string? token, object request) =>
        PythonAsync("call", new { method, token, request });

    [Fact]
    public async Task A_terminal_debits_and_reads_a_balance()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var token = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);

        var debit = (await CallAsync("campuscard.clearing.v1.Terminal/Debit", token, new { request_id = "py-1", card_no = account.CardNo, amount_fen = 250 })).Single();
        var balance = (await CallAsync("campuscard.clearing.v1.Terminal/GetBalance", token, new { card_no = account.CardNo })).Single();

        Assert.Equal("OK", debit.GetProperty("code").GetString());
        Assert.Equal("OUTCOME_APPROVED", debit.GetProperty("reply").GetProperty("outcome").GetString());
        Assert.Equal("750", debit.GetProperty("reply").GetProperty("balance_fen").GetString());
        Assert.Equal("750", balance.GetProperty("reply").GetProperty("balances").GetProperty("purse_fen").GetString());
    }

    [Fact]
    public async Task An_error_status_carries_a_non_ascii_message()
    {
        var result = (await CallAsync("campuscard.clearing.v1.Cards/RegisterTerminal", TestCredentials.Token(CallerRole.Office),
            new { terminal_id = "终端 1", merchant_id = "CANTEEN-1" })).Single();

        Assert.Equal("INVALID_ARGUMENT", result.GetProperty("code").GetString());
        Assert.Equal("terminal_id '终端 1' may hold only letters, digits and - _ . :", result.GetProperty("details").GetString());
    }

    [Fact]
    public async Task A_call_without_a_valid_credential_or_role_is_refused_with_a_reason()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var debit = new { request_id = "py-2", card_no = account.CardNo, amount_fen = 100 };
        var kiosk = TestCredentials.Token(CallerRole.Kiosk);

        var results = await PythonAsync("calls", new
        {
            calls = new object[]
            {
                new { method = "campuscard.clearing.v1.Terminal/Debit", token = (string?)null, request = debit },
                new { method = "campuscard.clearing.v1.Terminal/Debit", token = "not.a.jwt", request = debit },
                new { method = "campuscard.clearing.v1.Terminal/Debit", token = kiosk, request = debit },
            },
        });

        Assert.Equal(["UNAUTHENTICATED", "UNAUTHENTICATED", "PERMISSION_DENIED"], results.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(["CREDENTIAL_MISSING", "TOKEN_INVALID", "ROLE_NOT_ALLOWED"], results.Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal("no credential: send the metadata 'authorization: Bearer <token>'", results[0].GetProperty("details").GetString());
        Assert.Equal("the bearer token is not a well-formed JWT", results[1].GetProperty("details").GetString());
        Assert.Equal("the role 'kiosk' may not call /campuscard.clearing.v1.Terminal/Debit; allowed: terminal", results[2].GetProperty("details").GetString());
        Assert.Equal(1_000L, await PurseAsync(account));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("not.a.jwt") || e.Message.Contains(kiosk[20..60]));
    }

    [Fact]
    public async Task Every_refusal_carries_an_error_info_reason_a_program_can_act_on()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var token = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);
        var office = TestCredentials.Token(CallerRole.Office);
        await CallAsync("campuscard.clearing.v1.Terminal/Debit", token, new { request_id = "py-reuse", card_no = account.CardNo, amount_fen = 100 });

        var results = await PythonAsync("calls", new
        {
            calls = new object[]
            {
                new { method = "campuscard.clearing.v1.Terminal/Debit", token, request = (object)new { request_id = "py-reuse", card_no = account.CardNo, amount_fen = 200 } },
                new { method = "campuscard.clearing.v1.Terminal/Debit", token, request = (object)new { request_id = "py-3", card_no = account.CardNo, amount_fen = -1 } },
                new { method = "campuscard.clearing.v1.Cards/GetAccount", token = office, request = (object)new { person_no = "NOBODY" } },
                new { method = "campuscard.clearing.v1.Cards/RevokeTerminal", token = office, request = (object)new { terminal_id = TerminalIdOf(merchant.MerchantId) } },
                new { method = "campuscard.clearing.v1.Terminal/Debit", token, request = (object)new { request_id = "py-4", card_no = account.CardNo, amount_fen = 100 } },
            },
        });

        Assert.Equal(["FAILED_PRECONDITION", "INVALID_ARGUMENT", "NOT_FOUND", "OK", "UNAUTHENTICATED"], results.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(("REQUEST_ID_REUSED", "campuscard.clearing.v1", "py-reuse"),
            (results[0].GetProperty("reason").GetString(), results[0].GetProperty("domain").GetString(), results[0].GetProperty("metadata").GetProperty("request_id").GetString()));
        Assert.Equal(("INVALID_FIELD", "amount_fen"), (results[1].GetProperty("reason").GetString(), results[1].GetProperty("fields")[0].GetString()));
        Assert.Equal("PERSON_NOT_FOUND", results[2].GetProperty("reason").GetString());
        Assert.Equal(("TERMINAL_REVOKED", TerminalIdOf(merchant.MerchantId)),
            (results[4].GetProperty("reason").GetString(), results[4].GetProperty("metadata").GetProperty("terminal_id").GetString()));
        Assert.Equal(900L, await PurseAsync(account));
    }

    [Fact]
    public async Task Unknown_methods_and_services_are_unimplemented()
    {
        var method = await PythonAsync("raw", new { method = "campuscard.clearing.v1.Terminal/Nope", token = TestCredentials.Token(CallerRole.Operator), size = 1 });
        var service = await PythonAsync("raw", new { method = "nope.Service/Nope", token = TestCredentials.Token(CallerRole.Operator), size = 1 });

        Assert.Equal("UNIMPLEMENTED", method.Single().GetProperty("code").GetString());
        Assert.Equal("UNIMPLEMENTED", service.Single().GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_oversized_message_is_resource_exhausted_and_the_server_keeps_serving()
    {
        var merchant = await OpenMerchantAsync();
        var token = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);

        var result = (await PythonAsync("raw", new { method = "campuscard.clearing.v1.Terminal/DebitBatch", token, size = 2 * 1024 * 1024 })).Single();
        var health = (await PythonAsync("health_check")).Single();

        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
        Assert.Equal("SERVING", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_check_answers_without_a_credential_for_the_server_and_each_service()
    {
        var results = await PythonAsync("health_check", new { services = new[] { "campuscard.clearing.v1.Terminal", "campuscard.clearing.v1.Cards", "nope.Service" } });

        Assert.Equal("SERVING", results[0].GetProperty("status").GetString());
        Assert.Equal("SERVING", results[1].GetProperty("status").GetString());
        Assert.Equal("SERVING", results[2].GetProperty("status").GetString());
        Assert.Equal("NOT_FOUND", results[3].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Health_watch_follows_the_journal_going_away_and_coming_back()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        Task<DebitReply>? waiting = null;

        var results = await ExternalClient.PythonStreamAsync(Address, "health_watch", new { statuses = 3, timeout = 50 }, async line =>
        {
            switch (line.GetProperty("status").GetString())
            {
                case "SERVING" when waiting is null:
                    await Database.SetReachableAsync(false);
                    waiting = DebitAsync(Debit(account, merchant, 100));
                    break;
                case "NOT_SERVING":
                    await Database.SetReachableAsync(true);
                    break;
            }
        });

        Assert.Equal(["SERVING", "NOT_SERVING", "SERVING"], results.Select(r => r.GetProperty("status").GetString()));
        // The debit was decided, its journal write failed (NOT_SERVING) and was retried until the journal came back.
        Assert.Equal((Contracts.V1.Outcome.Approved, 900L), ((await waiting!).Outcome, (await waiting!).BalanceFen));
        Assert.Equal(900L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_watch_whose_deadline_passes_is_deadline_exceeded()
    {
        var results = await PythonAsync("health_watch", new { timeout = 1.5 });

        Assert.Equal("SERVING", results[0].GetProperty("status").GetString());
        Assert.Equal("DEADLINE_EXCEEDED", results[1].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Reflection_answers_any_authenticated_caller_and_refuses_one_without_a_valid_credential()
    {
        var merchant = await OpenMerchantAsync();
        var terminal = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);
        var forged = TestCredentials.Stranger.Issue(new Caller(CallerRole.Operator, "mallory"), TimeSpan.FromHours(1));

        var asTerminal = (await PythonAsync("reflection", new { token = terminal })).Single();
        var asFinance = (await PythonAsync("reflection", new { token = TestCredentials.Token(CallerRole.Finance) })).Single();
        var anonymous = (await PythonAsync("reflection", new { })).Single();
        var asForger = (await PythonAsync("reflection", new { token = forged })).Single();

        Assert.Contains("campuscard.clearing.v1.Cards", asTerminal.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("OK", asFinance.GetProperty("code").GetString());
        Assert.Equal(("UNAUTHENTICATED", "no credential: send the metadata 'authorization: Bearer <token>'"),
            (anonymous.GetProperty("code").GetString(), anonymous.GetProperty("details").GetString()));
        Assert.Equal(("UNAUTHENTICATED", "the bearer token's signature does not verify with this service's key"),
            (asForger.GetProperty("code").GetString(), asForger.GetProperty("details").GetString()));
    }

    [Fact]
    public async Task A_cancelled_call_is_cancelled_and_logged_below_warning_without_a_stack_trace()
    {
        _logs.Entries.Clear();

        var results = await PythonAsync("health_watch", new { cancel = true });
        await Task.Delay(200);

        Assert.Equal("SERVING", results[0].GetProperty("status").GetString());
        Assert.Equal("CANCELLED", results[1].GetProperty("code").GetString());
        Assert.Contains(_logs.Entries, e => e.Category.StartsWith("Grpc.AspNetCore", StringComparison.Ordinal) && e.Level == LogLevel.Debug);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(_logs.Entries, e => e.Exception is OperationCanceledException or IOException);
    }
}

/// <summary>The real service called by buf curl: reflection instead of .proto files, and bearer tokens.</summary>
public class BufInteropTests : ServiceTestBase
{
    private static readonly string Operator = TestCredentials.Token(CallerRole.Operator);

    [Fact]
    public async Task Reflection_lists_every_service_to_an_operator()
    {
        var services = (await ExternalClient.BufListServicesAsync(Address, Operator)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Superset(new HashSet<string>
        {
            "campuscard.clearing.v1.Terminal", "campuscard.clearing.v1.Funding", "campuscard.clearing.v1.Cards", "campuscard.clearing.v1.Kiosk",
            "campuscard.clearing.v1.Payments", "campuscard.clearing.v1.Finance", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
        }, services.ToHashSet());
    }

    [Fact]
    public async Task Reflection_lists_the_api_to_a_terminal_vendor_with_its_terminals_token()
    {
        var merchant = await OpenMerchantAsync();
        var terminal = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);

        var services = await ExternalClient.BufListServicesAsync(Address, terminal);

        Assert.Contains("campuscard.clearing.v1.Terminal", services.Split('\n'));
    }

    [Fact]
    public async Task Buf_curl_checks_health_without_a_credential_and_debits_with_a_terminal_token()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var terminal = TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId);

        var health = JsonDocument.Parse(await ExternalClient.BufCurlAsync(Address, "grpc.health.v1.Health/Check", """{"service":""}""", null, Operator));
        var debit = JsonDocument.Parse(await ExternalClient.BufCurlAsync(Address, "campuscard.clearing.v1.Terminal/Debit",
            $$"""{"request_id":"buf-1","card_no":"{{account.CardNo}}","amount_fen":300}""", terminal, Operator));

        Assert.Equal("SERVING", health.RootElement.GetProperty("status").GetString());
        Assert.Equal("OUTCOME_APPROVED", debit.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("700", debit.RootElement.GetProperty("balanceFen").GetString());
    }
}
