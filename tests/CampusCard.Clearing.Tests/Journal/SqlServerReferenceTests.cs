using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// What a SQL Server would refuse at compile time and parsing does not see: a table, view or function the T-SQL names
/// that the migrations do not create, and a column that what it reads from does not have (in the migrations' views,
/// functions and triggers, and in every query of the provider). Checked from the parsed scripts, without a server.
/// </summary>
public class SqlServerReferenceTests
{
    private static readonly string Folder = Path.Combine(ExternalClient.RepositoryRoot, "sql", "sqlserver");

    [Fact]
    public void Every_table_and_column_the_sql_server_scripts_name_exists()
    {
        var migrations = Directory.GetFiles(Folder, "*.sql").Order().ToArray();
        var schema = new TSqlSchema();
        foreach (var file in migrations) Parse(file).Accept(schema);

        var problems = new List<string>();
        foreach (var file in migrations.Concat(Directory.GetFiles(Path.Combine(Folder, "queries"), "*.sql").Order()))
        {
            var references = new TSqlReferences(schema);
            Parse(file).Accept(references);
            problems.AddRange(references.Problems().Select(p => $"{Path.GetFileName(file)}: {p}"));
        }

        Assert.True(schema.Sources.Count > 15, $"found only {schema.Sources.Count} tables, views, types and functions");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("SELECT t.id, t.no_such_column FROM dbo.transactions AS t", "t.no_such_column")]
    [InlineData("SELECT id FROM dbo.no_such_table", "dbo.no_such_table")]
    [InlineData("SELECT person_no, no_such_column FROM dbo.holders", "no_such_column")]
    [InlineData("WITH x AS (SELECT id AS tid FROM dbo.transactions) SELECT x.id FROM x", "x.id")]
    public void A_misspelt_name_is_found(string sql, string named)
    {
        var schema = new TSqlSchema();
        foreach (var file in Directory.GetFiles(Folder, "*.sql")) Parse(file).Accept(schema);
        var references = new TSqlReferences(schema);

        new TSql150Parser(true).Parse(new StringReader(sql), out _).Accept(references);

        Assert.Contains(references.Problems(), p => p.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void The_names_of_a_correct_query_are_all_found()
    {
        var schema = new TSqlSchema();
        foreach (var file in Directory.GetFiles(Folder, "*.sql")) Parse(file).Accept(schema);
        var references = new TSqlReferences(schema);

        new TSql150Parser(true).Parse(new StringReader("""
            WITH x AS (SELECT id AS tid FROM dbo.transactions)
            SELECT x.tid, h.person_no, m.name AS merchant FROM x JOIN dbo.transactions t ON t.id = x.tid
              JOIN dbo.holders h ON h.id = t.holder_id LEFT JOIN dbo.merchants m ON m.no = t.merchant_no ORDER BY merchant
            """), out _).Accept(references);

        Assert.Empty(references.Problems());
    }

    private static TSqlFragment Parse(string file)
    {
        using var reader = new StreamReader(file);
        var script = new TSql150Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors.Select(e => e.Message))}");
        return script;
    }
}
