namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// A test that needs a SQL Server: it runs when CC_SQLSERVER_CONNECTION holds a connection string (to a database the
/// test may migrate and write to), and is skipped otherwise with the reason in the output, as every skip must be.
/// xunit 2 has no dynamic skip (Assert.Skip): the attribute sets Skip when it is constructed.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "CC_SQLSERVER_CONNECTION";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public SqlServerFactAttribute()
    {
        if (ConnectionString is null) Skip = $"SQL Server not configured: set {Variable}";
    }
}
