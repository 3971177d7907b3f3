using Npgsql;

namespace CampusCard.Clearing.LoadGen.Baseline;

/// <summary>
/// After a baseline run: the design's books hold (its books.sql), every purse row equals the initial balance less the
/// approved debits plus the refunds its terminals were told of, and every approved answer is recorded exactly once.
/// </summary>
public static class BaselineVerifier
{
    public static async Task<Verification> VerifyAsync(NpgsqlDataSource database, BaselineDesign design, BaselineLedger ledger, long[] initial, CancellationToken cancellationToken)
    {
        var checks = await BooksAsync(database, design, cancellationToken);
        var schema = design.Schema;
        var holders = Enumerable.Range(1, initial.Length).Select(h => (long)h).ToArray();
        var expected = ledger.NetFen.Zip(initial, (net, start) => start + net).ToArray();
        var offAnswers = await ScalarAsync(database, $"""
            SELECT count(*) FROM unnest($1::bigint[], $2::bigint[]) AS x(holder_id, fen)
            LEFT JOIN {schema}.purses p USING (holder_id)
            WHERE p.balance_fen IS DISTINCT FROM x.fen
            """, [holders, expected], cancellationToken);
        var debits = ledger.Debits;
        var debitsFound = await ScalarAsync(database,
            $"SELECT count(*) FROM {schema}.transactions WHERE request_id = ANY($1) AND kind = 1 AND outcome = 1", [debits], cancellationToken);
        var reversals = ledger.Reversals;
        var reversalsFound = await ScalarAsync(database,
            $"SELECT count(*) FROM {schema}.transactions WHERE request_id = ANY($1) AND kind = 2 AND outcome = 1", [reversals], cancellationToken);
        checks.AddRange(
        [
            (offAnswers == 0, $"{offAnswers} of {initial.Length} purses differ from the initial balance less the approved debits plus the refunds answered"),
            (debitsFound == debits.Length, $"{debits.Length} approved debits answered, {debitsFound} recorded as approved debits"),
            (reversalsFound == reversals.Length, $"{reversals.Length} approved reversals answered, {reversalsFound} recorded as approved reversals"),
        ]);
        return Verification.Of(checks);
    }

    /// <summary>The design's own checks: each row of its books.sql is one, (ok, what).</summary>
    private static async Task<List<(bool Ok, string What)>> BooksAsync(NpgsqlDataSource database, BaselineDesign design, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(design.Sql("books"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checks = new List<(bool, string)>();
        while (await reader.ReadAsync(cancellationToken)) checks.Add((reader.GetBoolean(0), reader.GetString(1)));
        return checks;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }
}
