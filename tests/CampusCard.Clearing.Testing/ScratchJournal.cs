using System.Data.Common;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Testing;

/// <summary>
/// A fresh, migrated journal database of one provider, dropped afterwards: the ports over it, and plain SQL for what a
/// test checks behind them. SQL a test sends here is written in what both dialects share (count, sum, coalesce, concat).
/// </summary>
public abstract class ScratchJournal(
    string provider, string connectionString, DbDataSource sql, IJournal journal, IRegistry registry, IJournalMigrator migrator, int migrationCount)
    : IAsyncDisposable
{
    /// <summary>The Journal:Provider setting that selects it: Postgres or SqlServer.</summary>
    public string Provider => provider;

    public string ConnectionString => connectionString;

    public IJournal Journal => journal;

    public IRegistry Registry => registry;

    public IJournalMigrator Migrator => migrator;

    /// <summary>How many numbered scripts the provider has.</summary>
    public int MigrationCount => migrationCount;

    /// <summary>The first column of the first row, converted to <typeparamref name="T"/> (a count, a sum, a text).</summary>
    public async Task<T> ScalarAsync<T>(string text)
    {
        await using var cmd = sql.CreateCommand(text);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T));
    }

    /// <summary>Every row of the result, each as its column values.</summary>
    public async Task<IReadOnlyList<object[]>> RowsAsync(string text)
    {
        await using var cmd = sql.CreateCommand(text);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    public async Task ExecuteAsync(string text)
    {
        await using var cmd = sql.CreateCommand(text);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Transaction ids' partition slots: a copy keeps its original's partition.</summary>
    protected const int Slots = TransactionIds.PartitionSlots;

    /// <summary>
    /// Stores a copy of the newest transaction (by decision time), or of the one of <paramref name="requestId"/>, under a
    /// new id, above every id the journal holds, in the same partition, and a new request id, with the columns changed as
    /// <paramref name="assignments"/> says (SQL: "to_owner = NULL, moved_fen = 0").
    /// </summary>
    public abstract Task InsertChangedCopyOfLastTransactionAsync(string assignments, string? requestId = null);

    /// <summary>The copy's original: the newest transaction, or the request's.</summary>
    protected static string CopiedRow(string? requestId) => requestId is null ? "1 = 1" : $"request_id = '{requestId}'";

    /// <summary>Which rule of the schema refused a statement, read from the provider's exception; null when it was not a refusal.</summary>
    public abstract SchemaRefusal? RefusalOf(Exception exception);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A statement the schema refused: the kind of rule, the constraint (or index) named, the message.</summary>
public sealed record SchemaRefusal(RefusalRule Rule, string Constraint, string Message);

public enum RefusalRule
{
    Check,
    /// <summary>A reference to a missing row (a foreign key, or the trigger that checks the chart of accounts).</summary>
    Reference,
    Unique,
    /// <summary>Anything else the schema raises (the append-only triggers, a write to a view).</summary>
    Other,
}
