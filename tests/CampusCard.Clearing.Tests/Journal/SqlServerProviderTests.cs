using System.Text.RegularExpressions;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal.Internal;
using CampusCard.Clearing.Journal.SqlServer;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using CampusCard.Clearing.Host.Configuration;
using ClearingApp = CampusCard.Clearing.Host.ClearingApp;
using SqlTexts = CampusCard.Clearing.Journal.SqlServer.Internal.Sql;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// The SQL Server provider (src/CampusCard.Clearing.Journal.SqlServer) as far as this machine can check it without a
/// SQL Server: its SQL texts parse in the SQL Server 2019 dialect, each is used and each it names exists, the table
/// type of a batch has the columns of the one row mapping, and the host chooses it by Journal:Provider. The journal
/// contract (SqlServerJournalContractTests) runs it against a server when CC_SQLSERVER_CONNECTION is set.
/// </summary>
public partial class SqlServerProviderTests
{
    private static readonly string Queries = Path.Combine(ExternalClient.RepositoryRoot, "sql", "sqlserver", "queries");
    private static readonly string ProviderSource = Path.Combine(ExternalClient.RepositoryRoot, "src", "CampusCard.Clearing.Journal.SqlServer");

    [Fact]
    public void Every_query_parses_in_the_sql_server_2019_dialect()
    {
        var files = Directory.GetFiles(Queries, "*.sql").Order().ToArray();
        Assert.NotEmpty(files);
        var problems = new List<string>();
        foreach (var file in files)
        {
            using var reader = new StreamReader(file);
            var script = new TSql150Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors) as TSqlScript;
            problems.AddRange(errors.Select(e => $"{Path.GetFileName(file)}:{e.Line}:{e.Column}: {e.Message}"));
            if (errors.Count == 0 && (script is null || script.Batches.Count != 1))
                problems.Add($"{Path.GetFileName(file)}: {script?.Batches.Count ?? 0} batches; a query file is one batch (no GO)");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_query_file_is_used_by_the_provider_and_every_query_it_names_exists()
    {
        var files = Directory.GetFiles(Queries, "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in Directory.GetFiles(ProviderSource, "*.cs", SearchOption.AllDirectories))
            foreach (Match m in QueryName().Matches(File.ReadAllText(source)))
                named.Add(m.Groups[1].Value);

        Assert.True(named.Count > 0, "found no Sql.Command(conn, \"name\") or Sql.Text(\"name\") in the provider's code");
        Assert.True(files.Except(named).ToList() is [], $"query files the provider does not use: {string.Join(", ", files.Except(named))}");
        Assert.True(named.Except(files).ToList() is [], $"queries the provider names without a file: {string.Join(", ", named.Except(files))}");
        // ... and each file is embedded in the assembly under the name the provider loads it by.
        Assert.Equal(files.Order(), SqlTexts.Names.Order());
        foreach (var name in named) Assert.False(string.IsNullOrWhiteSpace(SqlTexts.Text(name)));
    }

    [Fact]
    public void Every_parameter_a_query_uses_is_bound_where_the_provider_runs_it_and_no_other()
    {
        // Each Sql.Command(conn, "name") ... ; statement binds its parameters in the same statement (.Add("@x", ...)).
        var bound = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var source in Directory.GetFiles(ProviderSource, "*.cs", SearchOption.AllDirectories))
            foreach (Match call in BoundCall().Matches(File.ReadAllText(source)))
            {
                var names = call.Groups[2].Value is var args ? Regex.Matches(args, "\"(@[a-z_]+)\"").Select(m => m.Groups[1].Value) : [];
                if (!bound.TryGetValue(call.Groups[1].Value, out var set)) bound[call.Groups[1].Value] = set = new(StringComparer.Ordinal);
                set.UnionWith(names);
            }
        var problems = new List<string>();
        foreach (var (name, parameters) in bound)
        {
            var sql = string.Join("\n", SqlTexts.Text(name).Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));
            var declared = Regex.Matches(sql, @"DECLARE\s+(@\w+)", RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            var used = Regex.Matches(sql, @"(?<![@\w])@\w+").Select(m => m.Value).Where(v => !declared.Contains(v) && !v.StartsWith("@Lock", StringComparison.Ordinal)
                && v is not "@Resource" and not "@LockMode" and not "@LockOwner" and not "@LockTimeout").ToHashSet(StringComparer.Ordinal);
            if (!used.SetEquals(parameters))
                problems.Add($"{name}: the file uses {string.Join(" ", used.Order())}; the code binds {string.Join(" ", parameters.Order())}");
        }
        Assert.True(bound.Count > 30, $"found only {bound.Count} queries run with Sql.Command");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [GeneratedRegex("""Sql\.Command\(\s*\w+\s*,\s*"([a-z0-9_]+)"([^;]*);""")]
    private static partial Regex BoundCall();

    [GeneratedRegex("""Sql\.(?:Command\(\s*\w+\s*,\s*|Text\(\s*)"([a-z0-9_]+)"\)?""")]
    private static partial Regex QueryName();

    [Fact]
    public void The_provider_implements_the_journal_registry_and_migrator_ports()
    {
        // Compiling says as much; this names the classes the host registers, so a rename shows up here.
        Assert.True(typeof(IJournal).IsAssignableFrom(typeof(SqlServerJournal)));
        Assert.True(typeof(IRegistry).IsAssignableFrom(typeof(SqlServerRegistry)));
        Assert.True(typeof(IJournalMigrator).IsAssignableFrom(typeof(SqlServerMigrator)));
        foreach (var (port, provider) in new[] { (typeof(IJournal), typeof(SqlServerJournal)), (typeof(IRegistry), typeof(SqlServerRegistry)) })
        {
            var map = provider.GetInterfaceMap(port);
            Assert.All(map.TargetMethods, m => Assert.Equal(provider, m.DeclaringType));
        }
    }

    [Fact]
    public void A_batch_row_has_the_columns_of_the_one_mapping_in_its_order()
    {
        var columns = TransactionRows.Columns.Split(',', StringSplitOptions.TrimEntries);
        // The type as the migrations leave it: the last that creates it (003, again in 007 with campus_no).
        var rows = SqlServerMigrator.Scripts.SelectMany(s =>
            {
                var script = new TSql150Parser(true).Parse(new StringReader(s.Sql), out var errors);
                Assert.Empty(errors);
                return ((TSqlScript)script).Batches.SelectMany(b => b.Statements).OfType<CreateTypeTableStatement>();
            })
            .Last(s => s.Name.BaseIdentifier.Value == "transaction_rows");
        Assert.Equal(columns, rows.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
        Assert.Equal(columns.Length, CampusCard.Clearing.Journal.SqlServer.Internal.TransactionRecords.ColumnCount);

        // The files that insert or read whole rows list the columns in that order.
        var list = Normalise(TransactionRows.Columns);
        foreach (var file in new[] { "journal_append", "journal_append_idempotent", "journal_find", "journal_recent" })
            Assert.Contains(list, Normalise(SqlTexts.Text(file)));
    }

    [Fact]
    public void Entries_become_records_of_the_batch_type_without_a_server()
    {
        // The metadata and the typed setters must agree (SqlDataRecord checks them on the client): a declined and an
        // approved entry with legs, a holder after and times set; the approved one of campus 2, whose scope carries it.
        var holder = new HolderHotState { HolderId = 7, PersonNo = "2026001", Card = 1, CardType = CardType.Student };
        var declined = new JournalEntry(
            new ClearingRequest { Kind = TransactionKind.Debit, RequestId = "r-1", Campus = Campuses.Default, CardNo = "123", AmountFen = 100, OccurredAtMs = 1_700_000_000_000 },
            new Decision { TransactionId = 1, Outcome = Outcome.Declined, Reason = DeclineReason.InsufficientFunds, DecidedAtMs = 1_700_000_000_000, HolderAfter = holder });
        var approved = new JournalEntry(
            new ClearingRequest { Kind = TransactionKind.Debit, RequestId = "r-2", Campus = 2, CardNo = "123", AmountFen = 100, MerchantId = "m", MerchantNo = 3 },
            new Decision { TransactionId = 2, HolderId = 7, Outcome = Outcome.Approved, MovedFen = 100, MerchantNo = 3, DecidedAtMs = 1_700_000_000_001, DeadlineMs = 1_700_000_100_000 });

        var records = CampusCard.Clearing.Journal.SqlServer.Internal.TransactionRecords.Records([declined, approved]);

        Assert.Equal(2, records.Count);
        Assert.Equal(1L, records[0].GetInt64(0));
        Assert.Equal("c:123", records[0].GetString(2));
        Assert.True(records[0].IsDBNull(24));
        Assert.False(records[0].IsDBNull(36));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), records[0].GetDateTimeOffset(44));
        Assert.Equal(approved.Legs!.Value.From.Owner, records[1].GetInt64(25));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_100_000), records[1].GetDateTimeOffset(45));
        Assert.Equal((short)1, records[0].GetInt16(47));
        Assert.Equal(("2/c:123", (short)2), (records[1].GetString(2), records[1].GetInt16(47)));
    }

    private static string Normalise(string sql) => Regex.Replace(sql, @"\s+", " ");

    [Fact]
    public void The_kinds_acting_on_originals_are_the_ones_the_queries_name()
    {
        var acting = Kinds.All.Where(k => k.ActsOnOriginal).Select(k => (int)k.Kind).Order().ToArray();
        Assert.Equal([2, 19, 24, 27, 28], acting);
        foreach (var file in new[] { "journal_request_keys", "journal_count_request_keys" })
            Assert.Contains("kind IN (2, 19, 24, 27, 28)", SqlTexts.Text(file));
    }

    [Fact]
    public void A_migration_is_split_into_the_batches_the_parser_finds()
    {
        Assert.Equal(11, SqlServerMigrator.Scripts.Count);
        foreach (var (_, name, sql) in SqlServerMigrator.Scripts)
        {
            var script = (TSqlScript)new TSql150Parser(true).Parse(new StringReader(sql), out var errors);
            Assert.Empty(errors);
            Assert.True(script.Batches.Count == SqlServerMigrator.Batches(sql).Count, $"{name}: {script.Batches.Count} batches parsed, {SqlServerMigrator.Batches(sql).Count} split");
        }
        Assert.Equal(["SELECT 1;\n", "\nSELECT 2;"], SqlServerMigrator.Batches("SELECT 1;\ngo\n-- a comment\nGO\nSELECT 2;"));
    }

    [Theory]
    [InlineData(null, JournalProvider.Postgres)]
    [InlineData("", JournalProvider.Postgres)]
    [InlineData("Postgres", JournalProvider.Postgres)]
    [InlineData("sqlserver", JournalProvider.SqlServer)]
    [InlineData("SqlServer", JournalProvider.SqlServer)]
    [InlineData("Oracle", null)]
    [InlineData("1", null)]
    public void Journal_Provider_chooses_the_provider(string? setting, JournalProvider? expected) =>
        Assert.Equal(expected, JournalOptions.Choose(setting));

    [Fact]
    public async Task The_host_registers_the_sql_server_provider_when_asked()
    {
        // Built, not started: nothing connects to the (absent) SQL Server.
        var app = ClearingApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
        [
            new("Listen:Address", "127.0.0.1:0"),
            new("ConnectionStrings:Redis", LocalServers.RedisConnectionString),
            new("ConnectionStrings:Journal", "Server=127.0.0.1,1;Database=campuscard;Encrypt=false;Connect Timeout=1"),
            new("Journal:Provider", "SqlServer"),
            new("HotStore:KeyPrefix", LocalServers.NewKeyPrefix()),
            new("Auth:PublicKeyPath", TestCredentials.KeyPath),
            new("Metrics:Address", ""),
        ]));
        await using (app)
        {
            Assert.IsType<SqlServerJournal>(Assert.IsType<Clearing.Engine.DetachedJournal>(app.Services.GetRequiredService<IJournal>()).Inner);
            Assert.IsType<SqlServerRegistry>(Assert.IsType<Clearing.Engine.DetachedRegistry>(app.Services.GetRequiredService<IRegistry>()).Inner);
            Assert.IsType<SqlServerMigrator>(app.Services.GetRequiredService<IJournalMigrator>());
        }
    }
}
