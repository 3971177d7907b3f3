using System.Text.Json;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The host started as an operator starts it, in a process of its own: a bad setting stops it before it listens, with one
/// line naming the setting as its environment variable; a good configuration starts on empty servers without a warning,
/// and its logs are text or JSON, with ISO 8601 times, quiet about expected refusals and telling why a caller was refused.
/// </summary>
public class StartupTests
{
    private static readonly string MalformedKey = WriteTemp("-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n");

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Auth__PublicKeyPath", "", "Auth__PublicKeyPath is not set: it names the PEM file of the ES256 key" },
        { "Auth__PublicKeyPath", "/nonexistent/signing-key.pem", "Auth__PublicKeyPath cannot be used: /nonexistent/signing-key.pem does not exist" },
        { "Auth__PublicKeyPath", MalformedKey, $"Auth__PublicKeyPath cannot be used: {MalformedKey} holds no ECDSA key in PEM" },
        { "ConnectionStrings__Redis", "127.0.0.1:not-a-port", "ConnectionStrings__Redis names no server" },
        { "ConnectionStrings__Redis", "127.0.0.1:6379,colour=blue", "ConnectionStrings__Redis is malformed (Keyword 'colour' is not supported." },
        { "ConnectionStrings__Journal", "Host=127.0.0.1;Colour=blue", "ConnectionStrings__Journal is malformed" },
        { "ConnectionStrings__Journal", "Username=clearing;Database=campuscard", "ConnectionStrings__Journal names no Host" },
        { "Journal__Provider", "Oracle", "Journal__Provider is 'Oracle': it must be Postgres or SqlServer" },
        { "Journal__MigrateOnStart", "sometimes", "Journal__MigrateOnStart is not true or false" },
        { "Channels__bank__MinFen", "30000", "Channels__bank__MinFen is 30000, more than Channels__bank__MaxFen (20000): no amount could be topped up" },
        { "Channels__bank__OpensAt", "25:00", "Channels__bank__OpensAt is not a time of day (HH:mm, as 05:00)" },
        { "Channels__kiosk__ClosesAt", "noon", "Channels__kiosk__ClosesAt is not a time of day (HH:mm, as 05:00)" },
        { "Channels__bank__OpensAt", "23:00", "Channels__bank__OpensAt is 23:00, after Channels__bank__ClosesAt (22:00): the channel would never be open" },
        { "Cards__Student__DailyLimitFen", "-1", "Cards__Student__DailyLimitFen is -1: it must be 0 to 10000000" },
        { "Cards__Staff__ReplacementFeeFen", "-200", "Cards__Staff__ReplacementFeeFen is -200: it must be 0 to 10000000" },
        { "Cards__DefaultPin", "Birthday", "Cards__DefaultPin is not one of LastSixXAsOne, LastSixBeforeX" },
        { "Engine__MaxBatchSize", "0", "Engine__MaxBatchSize is 0: it must be at least 1" },
        { "Engine__MaxBatchSize", "many", "Engine__MaxBatchSize is not a whole number" },
        { "Engine__HoldExpiryInterval", "-00:00:05", "Engine__HoldExpiryInterval is -00:00:05: it must be longer than 0" },
        { "Finance__SettlementInterval", "-00:01:00", "Finance__SettlementInterval is -00:01:00: it must not be negative" },
        { "HotStore__IdempotencyWindow", "00:00:00", "HotStore__IdempotencyWindow is 00:00:00: it must be at least 00:00:01" },
        { "HotStore__Partitions", "12", "HotStore__Partitions is 12: it must be a power of two from 1 to 1024" },
        { "HotStore__Partitions", "2048", "HotStore__Partitions is 2048: it must be a power of two from 1 to 1024" },
        { "HotStore__Partitions", "0", "HotStore__Partitions is 0: it must be a power of two from 1 to 1024" },
        { "Auth__TokenCacheSize", "0", "Auth__TokenCacheSize is 0: it must be at least 1" },
        { "Listen__Address", "localhost:50051", "Listen__Address is 'localhost:50051': it must be an IP address and a port" },
        { "Metrics__Address", "127.0.0.1", "Metrics__Address is '127.0.0.1': it must be an IP address and a port" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_start_with_one_line_naming_it(string setting, string value, string why)
    {
        var settings = HostProcess.GoodSettings(LocalServers.JournalConnectionString);
        settings[setting] = value;

        var run = await HostProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"configuration error: {why}", line);
        Assert.DoesNotContain("Now listening", run.Out);
        Assert.DoesNotContain("Ready", run.Out);
    }

    [Fact]
    public async Task A_clean_first_start_logs_json_with_iso_times_no_warning_no_line_per_refusal_and_why_a_caller_was_refused()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = HostProcess.GoodSettings(database.ConnectionString);
        settings["Logging__Console__FormatterName"] = "json";
        var forged = TestCredentials.Stranger.Issue(new Caller(CallerRole.Office, "mallory"), TimeSpan.FromHours(1));

        ProcessRun run;
        await using (var host = HostProcess.Start(settings))
        {
            var address = "http://" + settings["Listen__Address"];
            await host.WaitUntilServingAsync(address);
            using var channel = GrpcChannel.ForAddress(address);
            var notFound = await Assert.ThrowsAsync<RpcException>(() => new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office)))
                .GetAccountAsync(new GetAccountRequest { PersonNo = "NOBODY-42" }).ResponseAsync);
            var refused = await Assert.ThrowsAsync<RpcException>(() => new Cards.CardsClient(channel.WithToken(forged))
                .GetAccountAsync(new GetAccountRequest { PersonNo = "NOBODY-43" }).ResponseAsync);
            Assert.Equal((StatusCode.NotFound, StatusCode.Unauthenticated), (notFound.StatusCode, refused.StatusCode));
            run = await host.StopAsync();
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Error);
        var lines = run.OutLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(lines, line => Assert.Matches($"^{Iso8601}$", line.GetProperty("Timestamp").GetString()));
        Assert.DoesNotContain(lines, line => line.GetProperty("LogLevel").GetString() is "Warning" or "Error" or "Critical");
        Assert.Contains(lines, line => line.GetProperty("Message").GetString() == "The journal and the hot store are empty: a first start");
        Assert.Contains(lines, line => line.GetProperty("Message").GetString() == "Clearing engine is Ready");
        var refusal = Assert.Single(lines, line => line.GetProperty("Category").GetString()!.EndsWith("GrpcAuthorizationResultHandler", StringComparison.Ordinal));
        Assert.Equal("Information", refusal.GetProperty("LogLevel").GetString());
        Assert.Equal("/campuscard.clearing.v1.Cards/GetAccount refused to 127.0.0.1: Unauthenticated: the bearer token's signature does not verify with this service's key",
            refusal.GetProperty("Message").GetString());
        Assert.DoesNotContain("NOBODY-42", run.Out);
        Assert.DoesNotContain(forged, run.Out);
        Assert.DoesNotContain(forged.Split('.')[2], run.Out);
    }

    [Fact]
    public async Task The_text_format_starts_each_entry_with_its_iso_time()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = HostProcess.GoodSettings(database.ConnectionString);

        ProcessRun run;
        await using (var host = HostProcess.Start(settings))
        {
            await host.WaitUntilServingAsync("http://" + settings["Listen__Address"]);
            run = await host.StopAsync();
        }

        var entries = run.OutLines.Where(line => !line.StartsWith(' ')).ToList();
        Assert.Contains(entries, entry => entry.EndsWith(" info: CampusCard.Clearing.Engine.ClearingEngine[1]", StringComparison.Ordinal));
        Assert.All(entries, entry => Assert.Matches($"^{Iso8601} (info|dbug|trce): ", entry));
    }

    private const string Iso8601 = @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}";

    private static string WriteTemp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cc-startup-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, text);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }
}
