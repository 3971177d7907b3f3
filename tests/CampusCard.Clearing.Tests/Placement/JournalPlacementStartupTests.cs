using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Net.Client;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Placement;

/// <summary>
/// The host started as an operator starts it, over journal databases that are not what the configuration says: one line
/// naming the setting and exit code 2. And a journal database added to a running deployment: a repartition, after which
/// every campus is where it was.
/// </summary>
public class JournalPlacementStartupTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const string East = "Journal__Databases__east__";
    private const string Elsewhere = "Host=127.0.0.1;Port=1;Username=clearing;Database=east";

    public static TheoryData<Dictionary<string, string>, string[]> BadSettings => new()
    {
        { new() { [East + "Number"] = "1", [East + "ConnectionString"] = Elsewhere, ["HotStore__Partitions"] = "1" },
            ["HotStore__Partitions is 1: it must be a multiple of the 2 journal databases (ConnectionStrings__Journal and Journal__Databases__*), each of which owns whole partitions"] },
        { new() { [East + "Number"] = "2", [East + "ConnectionString"] = Elsewhere },
            ["Journal__Databases__east__Number is 2: the 1 journal databases besides the main one (0) are numbered 1 to 1, each once"] },
        { new() { [East + "Number"] = "1", [East + "ConnectionString"] = Elsewhere, ["Journal__Databases__west__Number"] = "1", ["Journal__Databases__west__ConnectionString"] = Elsewhere },
            ["Journal__Databases__west__Number is 1, as Journal__Databases__east__Number is: each journal database has a number of its own",
             "HotStore__Partitions is 16: it must be a multiple of the 3 journal databases (ConnectionStrings__Journal and Journal__Databases__*), each of which owns whole partitions"] },
        { new() { ["Journal__Databases__main__Number"] = "1", ["Journal__Databases__main__ConnectionString"] = Elsewhere },
            ["Journal__Databases__main names the main journal database, whose connection string is ConnectionStrings__Journal: name another"] },
        { new() { [East + "Number"] = "1", [East + "ConnectionString"] = "Username=clearing;Database=east" },
            ["Journal__Databases__east__ConnectionString names no Host: it must be an Npgsql connection string"] },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_journal_database_setting_stops_the_start_with_a_line_naming_it(Dictionary<string, string> bad, string[] why)
    {
        var settings = HostProcess.GoodSettings(LocalServers.JournalConnectionString);
        foreach (var (key, value) in bad) settings[key] = value;

        var run = await HostProcess.RunToExitAsync(settings, Timeout);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(why.Length, run.ErrorLines.Length);
        Assert.All(why.Order(StringComparer.Ordinal).Zip(run.ErrorLines.Order(StringComparer.Ordinal)), p => Assert.StartsWith($"configuration error: {p.First}", p.Second));
    }

    [Fact]
    public async Task A_connection_string_naming_another_journal_database_than_the_one_configured_stops_the_start()
    {
        await using var main = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = HostProcess.GoodSettings(main.ConnectionString);
        settings[East + "Number"] = "1";
        settings[East + "ConnectionString"] = main.ConnectionString;

        var run = await HostProcess.RunToExitAsync(settings, Timeout);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("configuration error: Journal__Databases__east__ConnectionString names journal database 0, not 1 ('east'): a database keeps the number it was first migrated as",
            Assert.Single(run.ErrorLines));
        Assert.DoesNotContain("Clearing engine is Ready", run.Out);
    }

    [Fact]
    public async Task A_campus_placed_in_a_journal_database_the_configuration_lacks_stops_the_start()
    {
        await using var main = await ScratchDatabase.CreateAsync();
        await main.ExecuteAsync("INSERT INTO campuses (campus_no, code, name, created_at, created_by, journal_database) VALUES (2, 'north', '北校区', now(), 'test', 1)");

        var run = await HostProcess.RunToExitAsync(HostProcess.GoodSettings(main.ConnectionString), Timeout);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("configuration error: campus 'north' (2) is placed in journal database 1, which no Journal__Databases__<name>__Number names", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_journal_database_added_later_is_a_repartition_after_which_every_campus_is_where_it_was()
    {
        await using var main = await ScratchDatabase.CreateAsync(migrate: false);
        await using var east = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = HostProcess.GoodSettings(main.ConnectionString);
        var prefix = settings["HotStore__KeyPrefix"];
        await using (var host = HostProcess.Start(settings))
        {
            using var channel = await ServingAsync(host, settings);
            await CallAsync(new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office))).OpenAccountAsync,
                new OpenAccountRequest { PersonNo = "2021001", Name = "张三", CardType = CardType.Student, IdNumber = "21020019990101234X" });
            await CallAsync(new Funding.FundingClient(channel.WithToken(TestCredentials.Token(CallerRole.Office))).CreditAsync,
                new CreditRequest { RequestId = "credit-1", PersonNo = "2021001", AmountFen = 2_000, Source = SystemAccount.Suspense });
            await host.StopAsync();
        }
        settings[East + "Number"] = "1";
        settings[East + "ConnectionString"] = east.ConnectionString;

        var refused = await HostProcess.RunToExitAsync(settings, Timeout);
        var repartition = await HostProcess.RunToExitAsync(settings, Timeout, "repartition");
        await using (var host = HostProcess.Start(settings))
        {
            using var channel = await ServingAsync(host, settings);
            var account = await CallAsync(new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office))).GetAccountAsync,
                new GetAccountRequest { PersonNo = "2021001" });
            var north = await CallAsync(new Admin.AdminClient(channel.WithToken(TestCredentials.Token(CallerRole.Vendor))).CreateCampusAsync,
                new CreateCampusRequest { Code = "north", Name = "北校区", JournalDatabase = "east" });
            await CallAsync(new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office, "north"))).OpenAccountAsync,
                new OpenAccountRequest { PersonNo = "2021001", Name = "王五", CardType = CardType.Student, IdNumber = "21020019990101234X" });

            Assert.True(refused.ExitCode == 3, refused.ToString());
            Assert.Contains($"the hot state under '{prefix}' has 16 partitions, not the 16 partitions over 2 journal databases configured", refused.Out);
            Assert.True(repartition.ExitCode == 0, repartition.ToString());
            Assert.Equal($"repartitioned the hot state under '{prefix}' from 16 partitions to 16 partitions over 2 journal databases: built 1 holders and 2 recent transactions from the journal",
                Assert.Single(repartition.OutLines));
            Assert.Equal(2_000, account.Balances.PurseFen);
            Assert.Equal(1L, await east.ScalarAsync<long>($"SELECT count(*) FROM holders WHERE campus_no = {north.CampusNo}"));
            Assert.Equal(1L, await main.ScalarAsync<long>("SELECT count(*) FROM holders"));
        }
    }

    private static async Task<GrpcChannel> ServingAsync(HostProcess host, Dictionary<string, string> settings)
    {
        var address = "http://" + settings["Listen__Address"];
        await host.WaitUntilServingAsync(address);
        return GrpcChannel.ForAddress(address);
    }

    private static Task<T> CallAsync<TRequest, T>(Func<TRequest, Grpc.Core.CallOptions, Grpc.Core.AsyncUnaryCall<T>> method, TRequest request) =>
        method(request, new Grpc.Core.CallOptions(deadline: DateTime.UtcNow.AddSeconds(30))).ResponseAsync;
}
