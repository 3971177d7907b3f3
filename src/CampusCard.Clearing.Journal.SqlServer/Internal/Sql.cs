using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;

namespace CampusCard.Clearing.Journal.SqlServer.Internal;

/// <summary>
/// The provider's SQL texts: every one is a file of sql/sqlserver/queries/, embedded, named here by its file name
/// without .sql (SqlServerProviderTests checks that each file is used and each name has a file).
/// </summary>
internal static class Sql
{
    public const string QueryPrefix = "sql/sqlserver/queries/";

    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);

    public static string Text(string name) => Texts.GetOrAdd(name, static n =>
    {
        using var stream = typeof(Sql).Assembly.GetManifestResourceStream($"{QueryPrefix}{n}.sql")
            ?? throw new InvalidOperationException($"no query {n}: sql/sqlserver/queries/{n}.sql is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The names of the embedded query files.</summary>
    public static IEnumerable<string> Names =>
        typeof(Sql).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(QueryPrefix, StringComparison.Ordinal))
            .Select(n => n[QueryPrefix.Length..^".sql".Length]);

    public static SqlCommand Command(SqlConnection conn, string name, SqlTransaction? tx = null) => new(Text(name), conn, tx);

    public static SqlCommand Add(this SqlCommand cmd, string name, SqlDbType type, object? value)
    {
        cmd.Parameters.Add(new SqlParameter(name, type) { Value = value ?? DBNull.Value });
        return cmd;
    }

    /// <summary>A text parameter of one size (4000), so a query has one plan whatever the length of its values.</summary>
    public static SqlCommand AddText(this SqlCommand cmd, string name, string value)
    {
        cmd.Parameters.Add(new SqlParameter(name, SqlDbType.NVarChar, 4000) { Value = value });
        return cmd;
    }

    public static SqlCommand AddTime(this SqlCommand cmd, string name, DateTimeOffset value) =>
        cmd.Add(name, SqlDbType.DateTimeOffset, value.ToUniversalTime());

    /// <summary>A table-valued parameter; <paramref name="rows"/> must not be empty (SqlClient sends none for an empty sequence).</summary>
    public static SqlCommand AddTable(this SqlCommand cmd, string name, string typeName, IReadOnlyCollection<SqlDataRecord> rows)
    {
        cmd.Parameters.Add(new SqlParameter(name, SqlDbType.Structured) { TypeName = typeName, Value = rows.Count == 0 ? null : rows });
        return cmd;
    }

    public static void SetNullableString(this SqlDataRecord record, int ordinal, string? value)
    {
        if (value is null) record.SetDBNull(ordinal);
        else record.SetString(ordinal, value);
    }
}
