using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// The SQL Server journal (sql/sqlserver/) as far as this machine can check it without a SQL Server: every migration
/// parses in the SQL Server 2019 dialect, it defines the same tables, views and columns as the PostgreSQL journal, and
/// every table, view, function and column a migration or query names exists in what it reads (what SQL Server's
/// binding would refuse and parsing does not see).
/// </summary>
public class SqlServerSchemaTests
{
    private static readonly string Folder = Path.Combine(ExternalClient.RepositoryRoot, "sql", "sqlserver");

    [Fact]
    public void The_sqlserver_migrations_are_numbered_from_one_without_gaps()
    {
        var numbers = Directory.GetFiles(Folder, "*.sql").Select(f => int.Parse(Path.GetFileName(f).Split('_')[0])).Order().ToArray();
        Assert.NotEmpty(numbers);
        Assert.Equal(Enumerable.Range(1, numbers.Length), numbers);
    }

    [Fact]
    public void Every_sqlserver_migration_parses_in_the_sql_server_2019_dialect()
    {
        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.sql").Order())
        {
            var (script, errors) = Parse(file);
            problems.AddRange(errors.Select(e => $"{Path.GetFileName(file)}:{e.Line}:{e.Column}: {e.Message}"));
            if (errors.Count == 0 && script.Batches.Count == 0) problems.Add($"{Path.GetFileName(file)}: no statements");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Both_providers_define_the_same_tables_views_and_columns()
    {
        var sqlServer = SqlServerColumns();
        var postgres = new SortedSet<string>(StringComparer.Ordinal);
        await using (var database = await ScratchDatabase.CreateAsync())
        {
            await using var cmd = database.DataSource.CreateCommand(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'");
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) postgres.Add($"{reader.GetString(0)}.{reader.GetString(1)}");
        }

        Assert.Contains("transactions.holder_after", postgres);
        var onlyPostgres = postgres.Except(sqlServer).ToList();
        var onlySqlServer = sqlServer.Except(postgres).ToList();
        Assert.True(onlyPostgres.Count == 0 && onlySqlServer.Count == 0,
            $"only in PostgreSQL: {string.Join(", ", onlyPostgres)}{Environment.NewLine}only in SQL Server: {string.Join(", ", onlySqlServer)}");
    }

    [Fact]
    public void Every_table_and_column_the_sql_server_scripts_name_exists()
    {
        var schema = Schema();

        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.sql").Concat(Directory.GetFiles(Path.Combine(Folder, "queries"), "*.sql")).Order())
        {
            var references = new TSqlReferences(schema);
            Parse(file).Script.Accept(references);
            problems.AddRange(references.Problems().Select(p => $"{Path.GetFileName(file)}: {p}"));
        }

        Assert.True(schema.Sources.Count > 15, $"found only {schema.Sources.Count} tables, views, types and functions");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void No_view_or_query_reads_a_number_out_of_a_request_scope_by_its_position()
    {
        // Another campus's scope is '2/c:123' (Campuses.Qualify): the number is dbo.scope_number's, not what follows
        // the first two characters. The views checked are those the migrations leave.
        var views = new LiveViews();
        foreach (var file in Directory.GetFiles(Folder, "*.sql").Order(StringComparer.Ordinal)) Parse(file).Script.Accept(views);
        var queries = Directory.GetFiles(Path.Combine(Folder, "queries"), "*.sql").Select(f => (Path.GetFileName(f), (TSqlFragment)Parse(f).Script));

        var problems = new List<string>();
        foreach (var (name, fragment) in views.Created.Select(v => ($"view {v.Key}", (TSqlFragment)v.Value)).Concat(queries))
        {
            var substrings = new ScopeSubstrings();
            fragment.Accept(substrings);
            problems.AddRange(substrings.Lines.Select(line => $"{name}, line {line}: SUBSTRING of a scope"));
        }

        Assert.Contains("journal", views.Created.Keys);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_finance_role_reads_every_view_calls_the_functions_and_is_granted_no_table()
    {
        var created = new CreatedObjects();
        foreach (var file in Directory.GetFiles(Folder, "*.sql")) Parse(file).Script.Accept(created);
        var (script, errors) = Parse(Path.Combine(Folder, "logins", "finance_reader.sql"));
        Assert.Empty(errors);
        var grants = new Grants();
        script.Accept(grants);

        Assert.Contains("refunds_payable_by_person", created.Views);
        Assert.Contains("transactions", created.Tables);
        Assert.Equal(created.Views.Order(), grants.Of("SELECT").Order());
        Assert.Empty(grants.Of("EXECUTE").Except(created.Functions));
        Assert.Contains("campus_today", grants.Of("EXECUTE"));
        Assert.Empty(grants.Objects.Intersect(created.Tables));
    }

    [Fact]
    public async Task The_security_policy_filters_the_tables_PostgreSQL_policies_filter_by_campus()
    {
        var predicates = new FilterPredicates();
        foreach (var file in Directory.GetFiles(Folder, "*.sql")) Parse(file).Script.Accept(predicates);
        await using var database = await ScratchDatabase.CreateAsync();

        var postgres = (await database.RowsAsync("""
            SELECT c.relname::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE p.polname = 'campus_rows' AND c.relrowsecurity ORDER BY 1
            """)).Select(row => (string)row[0]);

        Assert.Contains("transactions", predicates.Tables);
        Assert.Equal(postgres, predicates.Tables.Order());
        Assert.All(predicates.Functions, f => Assert.Equal("campus_rows", f));
    }

    [Theory]
    [InlineData("SELECT t.id, t.no_such_column FROM dbo.transactions AS t", "t.no_such_column")]
    [InlineData("SELECT id FROM dbo.no_such_table", "dbo.no_such_table")]
    [InlineData("SELECT person_no, no_such_column FROM dbo.holders", "no_such_column")]
    [InlineData("WITH x AS (SELECT id AS tid FROM dbo.transactions) SELECT x.id FROM x", "x.id")]
    public void A_misspelt_name_is_found(string sql, string named)
    {
        var references = new TSqlReferences(Schema());

        new TSql150Parser(true).Parse(new StringReader(sql), out _).Accept(references);

        Assert.Contains(references.Problems(), p => p.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void The_names_of_a_correct_query_are_all_found()
    {
        var references = new TSqlReferences(Schema());

        new TSql150Parser(true).Parse(new StringReader("""
            WITH x AS (SELECT id AS tid FROM dbo.transactions)
            SELECT x.tid, h.person_no, m.name AS merchant FROM x JOIN dbo.transactions t ON t.id = x.tid
              JOIN dbo.holders h ON h.id = t.holder_id LEFT JOIN dbo.merchants m ON m.no = t.merchant_no ORDER BY merchant
            """), out _).Accept(references);

        Assert.Empty(references.Problems());
    }

    /// <summary>(table or view).column for every table and view the T-SQL migrations create, from the parsed scripts.</summary>
    private static SortedSet<string> SqlServerColumns()
    {
        var collector = new Collector();
        foreach (var file in Directory.GetFiles(Folder, "*.sql").Order())
        {
            var (script, errors) = Parse(file);
            Assert.Empty(errors);
            script.Accept(collector);
        }
        Assert.Empty(collector.Problems);
        return collector.Columns;
    }

    private static TSqlSchema Schema()
    {
        var schema = new TSqlSchema();
        // In migration order: a later one alters what an earlier one created.
        foreach (var file in Directory.GetFiles(Folder, "*.sql").Order(StringComparer.Ordinal)) Parse(file).Script.Accept(schema);
        return schema;
    }

    private static (TSqlScript Script, IList<ParseError> Errors) Parse(string file)
    {
        using var reader = new StreamReader(file);
        var script = new TSql150Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        return (script as TSqlScript ?? new TSqlScript(), errors);
    }

    /// <summary>The tables, views and functions the migrations create (lower case).</summary>
    private sealed class CreatedObjects : TSqlFragmentVisitor
    {
        public HashSet<string> Tables { get; } = [];
        public HashSet<string> Views { get; } = [];
        public HashSet<string> Functions { get; } = [];

        public override void ExplicitVisit(CreateTableStatement node) => Tables.Add(TSqlSchema.Name(node.SchemaObjectName));

        public override void ExplicitVisit(CreateViewStatement node) => Views.Add(TSqlSchema.Name(node.SchemaObjectName));

        public override void ExplicitVisit(CreateFunctionStatement node) => Functions.Add(TSqlSchema.Name(node.Name));
    }

    /// <summary>
    /// The tables a security policy's filter predicates apply to, and the predicates' functions (lower case). The visitor
    /// does not descend into a policy's predicates, so they are read off the statement.
    /// </summary>
    private sealed class FilterPredicates : TSqlFragmentVisitor
    {
        public List<string> Tables { get; } = [];
        public List<string> Functions { get; } = [];

        public override void ExplicitVisit(CreateSecurityPolicyStatement node)
        {
            foreach (var predicate in node.SecurityPredicateActions.Where(a => a.SecurityPredicateType == SecurityPredicateType.Filter))
            {
                Tables.Add(TSqlSchema.Name(predicate.TargetObjectName));
                Functions.Add(predicate.FunctionCall.FunctionName.Value.ToLowerInvariant());
            }
            base.ExplicitVisit(node);
        }
    }

    /// <summary>The views scripts leave: each as the last CREATE or ALTER VIEW made it, less those dropped after.</summary>
    private sealed class LiveViews : TSqlFragmentVisitor
    {
        public Dictionary<string, ViewStatementBody> Created { get; } = new(StringComparer.Ordinal);

        public override void ExplicitVisit(CreateViewStatement node) => Created[TSqlSchema.Name(node.SchemaObjectName)] = node;

        public override void ExplicitVisit(AlterViewStatement node) => Created[TSqlSchema.Name(node.SchemaObjectName)] = node;

        public override void ExplicitVisit(DropViewStatement node)
        {
            foreach (var view in node.Objects) Created.Remove(TSqlSchema.Name(view));
        }
    }

    /// <summary>The lines of SUBSTRING(… scope, …): a number taken out of a request scope by its position.</summary>
    private sealed class ScopeSubstrings : TSqlFragmentVisitor
    {
        public List<int> Lines { get; } = [];

        public override void ExplicitVisit(FunctionCall node)
        {
            if (node.FunctionName.Value.Equals("SUBSTRING", StringComparison.OrdinalIgnoreCase)
                && node.Parameters is [ColumnReferenceExpression { MultiPartIdentifier.Identifiers: [.., var column] }, ..]
                && column.Value.Equals("scope", StringComparison.OrdinalIgnoreCase))
                Lines.Add(node.StartLine);
            base.ExplicitVisit(node);
        }
    }

    /// <summary>What a script GRANTs: (permission, object) in lower case.</summary>
    private sealed class Grants : TSqlFragmentVisitor
    {
        private readonly List<(string Permission, string Object)> _grants = [];

        public IEnumerable<string> Objects => _grants.Select(g => g.Object);

        public IEnumerable<string> Of(string permission) => _grants.Where(g => g.Permission == permission.ToLowerInvariant()).Select(g => g.Object);

        public override void ExplicitVisit(GrantStatement node)
        {
            var target = node.SecurityTargetObject.ObjectName.MultiPartIdentifier.Identifiers[^1].Value.ToLowerInvariant();
            foreach (var permission in node.Permissions)
                _grants.Add((string.Join(' ', permission.Identifiers.Select(i => i.Value.ToLowerInvariant())), target));
        }
    }

    private sealed class Collector : TSqlFragmentVisitor
    {
        public SortedSet<string> Columns { get; } = new(StringComparer.Ordinal);
        public List<string> Problems { get; } = [];

        public override void ExplicitVisit(CreateTableStatement node)
        {
            foreach (var column in node.Definition.ColumnDefinitions) Add(node.SchemaObjectName, column.ColumnIdentifier.Value);
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(AlterTableAddTableElementStatement node)
        {
            foreach (var column in node.Definition.ColumnDefinitions) Add(node.SchemaObjectName, column.ColumnIdentifier.Value);
            base.ExplicitVisit(node);
        }

        /// <summary>A column a later migration renames (sp_rename) has its new name only.</summary>
        public override void ExplicitVisit(ExecuteStatement node)
        {
            if (TSqlSchema.RenamedColumn(node) is (var table, var from, var to) && Columns.Remove($"{table}.{from}")) Columns.Add($"{table}.{to}");
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(CreateViewStatement node)
        {
            AddView(node);
            base.ExplicitVisit(node);
        }

        /// <summary>A view a later migration alters has the columns of its new query only.</summary>
        public override void ExplicitVisit(AlterViewStatement node)
        {
            Forget(node.SchemaObjectName);
            AddView(node);
            base.ExplicitVisit(node);
        }

        /// <summary>A view a later migration drops (to create it again with other columns) loses the columns it had.</summary>
        public override void ExplicitVisit(DropViewStatement node)
        {
            foreach (var view in node.Objects) Forget(view);
            base.ExplicitVisit(node);
        }

        private void AddView(ViewStatementBody node)
        {
            if (node.Columns.Count > 0)
                foreach (var column in node.Columns) Add(node.SchemaObjectName, column.Value);
            else
                foreach (var element in First(node.SelectStatement.QueryExpression).SelectElements) Add(node.SchemaObjectName, OutputName(node, element));
        }

        private void Forget(SchemaObjectName view) =>
            Columns.RemoveWhere(c => c.StartsWith($"{view.BaseIdentifier.Value.ToLowerInvariant()}.", StringComparison.Ordinal));

        private void Add(SchemaObjectName name, string? column)
        {
            if (column is null) return;
            Columns.Add($"{name.BaseIdentifier.Value}.{column}".ToLowerInvariant());
        }

        /// <summary>The query whose select list names a view's columns: the first of a UNION.</summary>
        private static QuerySpecification First(QueryExpression query) => query switch
        {
            QuerySpecification q => q,
            BinaryQueryExpression b => First(b.FirstQueryExpression),
            QueryParenthesisExpression p => First(p.QueryExpression),
            _ => throw new InvalidOperationException($"a view's query of type {query.GetType().Name}"),
        };

        private string? OutputName(ViewStatementBody view, SelectElement element)
        {
            switch (element)
            {
                case SelectScalarExpression { ColumnName: { } alias }:
                    return alias.Value;
                case SelectScalarExpression { Expression: ColumnReferenceExpression column }:
                    return column.MultiPartIdentifier.Identifiers[^1].Value;
                default:
                    Problems.Add($"view {view.SchemaObjectName.BaseIdentifier.Value}: a column without a name (line {element.StartLine}); name it with AS");
                    return null;
            }
        }
    }
}
