using CampusCard.Clearing.Domain;
using Npgsql;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// After --mode offline: every record an upload answered is in the journal exactly once as an approved offline debit
/// (kind 25) of its terminal, counted and summed per terminal over the run's sequence numbers, and in each campus every card's
/// purse in Redis equals its journal balance.
/// </summary>
public static class OfflineVerifier
{
    public static async Task<Verification> VerifyAsync(OfflineLedger ledger, Population[] populations, LoadOptions options, CancellationToken cancellationToken)
    {
        await using var journal = NpgsqlDataSource.Create(options.Journal);
        var terminals = Enumerable.Range(0, options.Terminals).ToArray();
        var answered = terminals.Sum(ledger.Records);
        var unanswered = ledger.UnacknowledgedRecords;
        var checks = new List<(bool, string)>
        {
            (unanswered == 0, $"{answered} records answered as recorded, {unanswered} left unanswered after the run"),
            await PerTerminalAsync(journal, ledger, terminals, cancellationToken),
        };
        foreach (var population in populations)
        {
            var holders = ledger.TouchedAccounts(population.Campus).Select(a => population.PersonNos[a]).ToArray();
            var purses = await JournalVerifier.BalancesAgreeAsync(journal, population.Campus, holders, JournalVerifier.Purses, options, cancellationToken);
            checks.Add(JournalVerifier.Labelled(population.Campus.Label(options), purses));
        }
        return Verification.Of(checks);
    }

    private static async Task<(bool, string)> PerTerminalAsync(NpgsqlDataSource journal, OfflineLedger ledger, int[] terminals, CancellationToken cancellationToken)
    {
        await using var command = journal.CreateCommand("""
            SELECT terminal_id, count(*), count(DISTINCT ref), sum(amount_fen)::bigint, sum(moved_fen)::bigint
              FROM transactions
             WHERE kind = $1 AND outcome = 1 AND terminal_id = ANY($2) AND ref >= $3
             GROUP BY terminal_id
            """);
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)TransactionKind.OfflineDebit });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = terminals.Select(ServiceSetup.TerminalId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ledger.FirstSeq });
        var booked = new Dictionary<string, (long Rows, long Seqs, long AmountFen, long MovedFen)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                booked[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }
        var differing = terminals
            .Select(t => (Terminal: ServiceSetup.TerminalId(t), Expected: (ledger.Records(t), ledger.Records(t), ledger.AmountFen(t), ledger.AmountFen(t))))
            .Where(t => booked.GetValueOrDefault(t.Terminal) != t.Expected)
            .ToList();
        var rows = booked.Values.Sum(b => b.Rows);
        if (differing.Count == 0)
            return (true, $"{terminals.Length} terminals: the journal holds each answered record once ({rows} offline debits, one per sequence number) with its amount");
        var (terminal, expected) = differing[0];
        var found = booked.GetValueOrDefault(terminal);
        return (false, $"{differing.Count} of {terminals.Length} terminals differ, e.g. {terminal}: answered {expected.Item1} records of {expected.Item3} fen, " +
            $"the journal holds {found.Rows} offline debits of {found.Seqs} sequence numbers, {found.AmountFen} fen ({found.MovedFen} moved)");
    }
}
