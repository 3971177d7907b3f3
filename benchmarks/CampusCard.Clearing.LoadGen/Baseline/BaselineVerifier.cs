using Npgsql;

namespace CampusCard.Clearing.LoadGen.Baseline;

/// <summary>
/// After a baseline run: the postings sum to zero, every purse row equals its postings and the initial
/// balance less the approved debits plus the refunds its terminals were told of, and every approved
/// answer is recorded exactly once.
/// </summary>
public static class BaselineVerifier
{
    public static async Task<Verification> VerifyAsync(NpgsqlDataSource database, BaselineLedger ledger, long[] initial, CancellationToken cancellationToken)
    {
        var total = await ScalarAsync(database, "SELECT coalesce(sum(amount_fen), 0)::bigint FROM baseline.postings", [], cancellationToken);
        var offPostings = await ScalarAsync(database, """
            SELECT count(*) FROM baseline.purses p
            LEFT JOIN (SELECT account, sum(amount_fen) AS fen FROM baseline.postings GROUP BY account) q ON q.account = 'purse:' || p.holder_id
            WHERE p.balance_fen <> coalesce(q.fen, 0)
            """, [], cancellationToken);
        var holders = Enumerable.Range(1, initial.Length).Select(h => (long)h).ToArray();
        var expected = ledger.NetFen.Zip(initial, (net, start) => start + net).ToArray();
        var offAnswers = await ScalarAsync(database, """
            SELECT count(*) FROM unnest($1::bigint[], $2::bigint[]) AS x(holder_id, fen)
            LEFT JOIN baseline.purses p USING (holder_id)
            WHERE p.balance_fen IS DISTINCT FROM x.fen
            """, [holders, expected], cancellationToken);
        var debits = ledger.Debits;
        var debitsFound = await ScalarAsync(database,
            "SELECT count(*) FROM baseline.transactions WHERE request_id = ANY($1) AND kind = 1 AND outcome = 1", [debits], cancellationToken);
        var reversals = ledger.Reversals;
        var reversalsFound = await ScalarAsync(database,
            "SELECT count(*) FROM baseline.transactions WHERE request_id = ANY($1) AND kind = 2 AND outcome = 1", [reversals], cancellationToken);
        return Verification.Of(
        [
            (total == 0, $"the postings sum to {total}"),
            (offPostings == 0, $"{offPostings} purses differ from the sum of their postings"),
            (offAnswers == 0, $"{offAnswers} of {initial.Length} purses differ from the initial balance less the approved debits plus the refunds answered"),
            (debitsFound == debits.Length, $"{debits.Length} approved debits answered, {debitsFound} recorded as approved debits"),
            (reversalsFound == reversals.Length, $"{reversals.Length} approved reversals answered, {reversalsFound} recorded as approved reversals"),
        ]);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }
}
