using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>The tables, views, table types and inline table-valued functions T-SQL scripts create, with their columns (lower case).</summary>
public sealed class TSqlSchema : TSqlFragmentVisitor
{
    /// <summary>Each source's columns; null when they are not known from the script (a function returning t.*).</summary>
    public Dictionary<string, HashSet<string>?> Sources { get; } = new(StringComparer.OrdinalIgnoreCase);

    public override void ExplicitVisit(CreateTableStatement node)
    {
        Sources[Name(node.SchemaObjectName)] = node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value.ToLowerInvariant()).ToHashSet();
        base.ExplicitVisit(node);
    }

    /// <summary>A later migration's ALTER TABLE … ADD: the table gains the columns.</summary>
    public override void ExplicitVisit(AlterTableAddTableElementStatement node)
    {
        if (Sources.TryGetValue(Name(node.SchemaObjectName), out var columns) && columns is not null)
            columns.UnionWith(node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value.ToLowerInvariant()));
        base.ExplicitVisit(node);
    }

    /// <summary>A later migration's EXEC sp_rename of a column: the table's column is known by its new name only.</summary>
    public override void ExplicitVisit(ExecuteStatement node)
    {
        if (RenamedColumn(node) is (var table, var from, var to) && Sources.TryGetValue(table, out var columns) && columns is not null && columns.Remove(from))
            columns.Add(to);
        base.ExplicitVisit(node);
    }

    /// <summary>The (table, old name, new name) an EXEC sp_rename N'dbo.table.column', N'new', N'COLUMN' renames; null for any other statement.</summary>
    public static (string Table, string From, string To)? RenamedColumn(ExecuteStatement node)
    {
        if (node.ExecuteSpecification.ExecutableEntity is not ExecutableProcedureReference { ProcedureReference.ProcedureReference.Name: { } procedure } call
            || !procedure.BaseIdentifier.Value.Equals("sp_rename", StringComparison.OrdinalIgnoreCase))
            return null;
        var arguments = call.Parameters.Select(p => (p.ParameterValue as StringLiteral)?.Value).ToList();
        if (arguments is not [{ } column, { } to, { } type] || !type.Equals("COLUMN", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = column.Split('.');
        return parts.Length < 2 ? null : (parts[^2].ToLowerInvariant(), parts[^1].ToLowerInvariant(), to.ToLowerInvariant());
    }

    public override void ExplicitVisit(CreateTypeTableStatement node)
    {
        Sources[Name(node.Name)] = node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value.ToLowerInvariant()).ToHashSet();
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(CreateViewStatement node)
    {
        View(node);
        base.ExplicitVisit(node);
    }

    /// <summary>A later migration's ALTER VIEW: the view's columns are its new query's.</summary>
    public override void ExplicitVisit(AlterViewStatement node)
    {
        View(node);
        base.ExplicitVisit(node);
    }

    private void View(ViewStatementBody node) =>
        Sources[Name(node.SchemaObjectName)] = node.Columns.Count > 0
            ? node.Columns.Select(c => c.Value.ToLowerInvariant()).ToHashSet()
            : OutputNames(node.SelectStatement.QueryExpression);

    public override void ExplicitVisit(CreateFunctionStatement node)
    {
        if (node.ReturnType is SelectFunctionReturnType select)
            Sources[Name(node.Name)] = OutputNames(select.SelectStatement.QueryExpression);
        base.ExplicitVisit(node);
    }

    public static string Name(SchemaObjectName name) => name.BaseIdentifier.Value.ToLowerInvariant();

    /// <summary>The names of a query's output columns; null when one is * (any column).</summary>
    public static HashSet<string>? OutputNames(QueryExpression query)
    {
        var names = new HashSet<string>();
        foreach (var element in First(query).SelectElements)
        {
            switch (element)
            {
                case SelectScalarExpression { ColumnName: { } alias }:
                    names.Add(alias.Value.ToLowerInvariant());
                    break;
                case SelectScalarExpression { Expression: ColumnReferenceExpression { MultiPartIdentifier: { } id } }:
                    names.Add(id.Identifiers[^1].Value.ToLowerInvariant());
                    break;
                case SelectStarExpression:
                    return null;
            }
        }
        return names;
    }

    private static QuerySpecification First(QueryExpression query) => query switch
    {
        QuerySpecification q => q,
        BinaryQueryExpression b => First(b.FirstQueryExpression),
        QueryParenthesisExpression p => First(p.QueryExpression),
        _ => throw new InvalidOperationException($"a query of type {query.GetType().Name}"),
    };
}

/// <summary>
/// The tables and columns one script names, checked against a <see cref="TSqlSchema"/>. Aliases are collected over the
/// whole script (an alias may stand for any table it names somewhere in it); a qualified column must be a column of a
/// table its qualifier stands for, an unqualified one a column of some table the script reads or a name it defines.
/// Table variables and parameters (@rows), temporary tables and the trigger tables inserted/deleted may hold any column.
/// </summary>
public sealed class TSqlReferences(TSqlSchema schema) : TSqlFragmentVisitor
{
    private static readonly HashSet<string> DateParts = new(StringComparer.OrdinalIgnoreCase)
        { "year", "quarter", "month", "dayofyear", "day", "week", "weekday", "hour", "minute", "second", "millisecond", "microsecond", "nanosecond", "dd", "mm", "yy", "hh", "mi", "ss", "ms" };

    private readonly Dictionary<string, List<HashSet<string>?>> _aliases = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _defined = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HashSet<string>?> _read = [];
    private readonly List<(string? Qualifier, string Column, int Line)> _columns = [];
    private readonly List<string> _problems = [];

    /// <summary>A statement's common table expressions are known before its body, which is visited first.</summary>
    public override void Visit(StatementWithCtesAndXmlNamespaces node)
    {
        foreach (var cte in node.WithCtesAndXmlNamespaces?.CommonTableExpressions ?? [])
            Alias(cte.ExpressionName.Value, cte.Columns.Count > 0 ? cte.Columns.Select(c => c.Value.ToLowerInvariant()).ToHashSet() : TSqlSchema.OutputNames(cte.QueryExpression));
        base.Visit(node);
    }

    public override void ExplicitVisit(NamedTableReference node)
    {
        var name = TSqlSchema.Name(node.SchemaObject);
        HashSet<string>? columns = null;
        if (!name.StartsWith('#') && name is not "inserted" and not "deleted" && !_aliases.ContainsKey(name))
        {
            if (schema.Sources.TryGetValue(name, out var known)) columns = known;
            else _problems.Add($"line {node.StartLine}: {string.Join('.', node.SchemaObject.Identifiers.Select(i => i.Value))} is no table or view the migrations create");
        }
        else if (_aliases.TryGetValue(name, out var cte))
        {
            columns = cte.FirstOrDefault();
        }
        Alias(node.Alias?.Value ?? name, columns);
        base.ExplicitVisit(node);
    }

    /// <summary>An index's columns are its table's.</summary>
    public override void ExplicitVisit(CreateIndexStatement node)
    {
        var name = TSqlSchema.Name(node.OnName);
        if (schema.Sources.TryGetValue(name, out var columns)) Alias(name, columns);
        else _problems.Add($"line {node.StartLine}: {name} is no table the migrations create");
        base.ExplicitVisit(node);
    }

    /// <summary>The columns an ALTER TABLE's constraints name are its table's.</summary>
    public override void Visit(AlterTableStatement node)
    {
        var name = TSqlSchema.Name(node.SchemaObjectName);
        if (schema.Sources.TryGetValue(name, out var columns)) Alias(name, columns);
        else _problems.Add($"line {node.StartLine}: {name} is no table the migrations create");
        base.Visit(node);
    }

    public override void ExplicitVisit(SchemaObjectFunctionTableReference node)
    {
        var name = TSqlSchema.Name(node.SchemaObject);
        if (!schema.Sources.TryGetValue(name, out var columns)) _problems.Add($"line {node.StartLine}: {name} is no function the migrations create");
        Alias(node.Alias?.Value ?? name, columns);
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(VariableTableReference node)
    {
        Alias(node.Alias?.Value ?? node.Variable.Name, null);
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(QueryDerivedTable node)
    {
        Alias(node.Alias.Value, TSqlSchema.OutputNames(node.QueryExpression));
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(InlineDerivedTable node)
    {
        Alias(node.Alias.Value, node.Columns.Select(c => c.Value.ToLowerInvariant()).ToHashSet());
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(MergeSpecification node)
    {
        if (node.TableAlias is { } alias && node.Target is NamedTableReference target && schema.Sources.TryGetValue(TSqlSchema.Name(target.SchemaObject), out var columns))
            Alias(alias.Value, columns);
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(SelectScalarExpression node)
    {
        if (node.ColumnName is { } alias) _defined.Add(alias.Value);
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(ColumnDefinition node)
    {
        _defined.Add(node.ColumnIdentifier.Value);
        base.ExplicitVisit(node);
    }

    public override void ExplicitVisit(ColumnReferenceExpression node)
    {
        if (node.ColumnType == ColumnType.Regular && node.MultiPartIdentifier is { Count: > 0 } id)
            _columns.Add((id.Count > 1 ? id.Identifiers[^2].Value : null, id.Identifiers[^1].Value.ToLowerInvariant(), node.StartLine));
        base.ExplicitVisit(node);
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(_problems);
        var anyColumn = _read.Any(c => c is null);
        foreach (var (qualifier, column, line) in _columns)
        {
            if (qualifier is null)
            {
                if (!anyColumn && !_defined.Contains(column) && !DateParts.Contains(column) && !_read.Any(c => c!.Contains(column)))
                    problems.Add($"line {line}: {column} is a column of nothing the script reads");
            }
            else if (qualifier.Equals("inserted", StringComparison.OrdinalIgnoreCase) || qualifier.Equals("deleted", StringComparison.OrdinalIgnoreCase))
            {
                if (!anyColumn && !_read.Any(c => c!.Contains(column))) problems.Add($"line {line}: {qualifier}.{column} is a column of nothing the script writes");
            }
            else if (!_aliases.TryGetValue(qualifier, out var sources))
            {
                problems.Add($"line {line}: {qualifier}.{column}: {qualifier} names no table of the script");
            }
            else if (!sources.Any(c => c is null || c.Contains(column)))
            {
                problems.Add($"line {line}: {qualifier}.{column} is not a column of {qualifier}");
            }
        }
        return problems;
    }

    private void Alias(string alias, HashSet<string>? columns)
    {
        if (!_aliases.TryGetValue(alias, out var list)) _aliases[alias] = list = [];
        list.Add(columns);
        _read.Add(columns);
    }
}
