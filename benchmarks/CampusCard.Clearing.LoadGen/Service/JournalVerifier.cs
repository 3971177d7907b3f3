using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.LoadGen.Workload;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// After a service run, in each campus: every approved answer its terminals got is in the journal exactly once, as the
/// campus's, and for every purse the terminals touched (with a --mix, also every holds account and e-wallet), the
/// balance in Redis equals the journal's sum of postings.
/// </summary>
public static class JournalVerifier
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    public static async Task<Verification> VerifyAsync(
        ServiceLedger ledger, Population[] populations, LunchPeak workload, LoadOptions options, CancellationToken cancellationToken)
    {
        await using var journal = NpgsqlDataSource.Create(options.Journal);
        var checks = new List<(bool, string)>();
        foreach (var population in populations)
        {
            var campus = population.Campus;
            var label = campus.Label(options);
            var terminals = workload.TerminalsOf(campus.Index).ToArray();
            var answered = new List<(TransactionKind Kind, long[] Ids)>
            {
                (TransactionKind.Debit, ledger.Debits(terminals)),
                (TransactionKind.Reversal, ledger.Reversals(terminals)),
            };
            answered.AddRange(ledger.Mixed(terminals).Select(kind => (kind.Key, kind.ToArray())));
            foreach (var (kind, ids) in answered) checks.Add(Labelled(label, await InJournalOnceAsync(journal, campus, ids, kind, cancellationToken)));
            var holders = ledger.TouchedAccounts(campus).Select(a => population.PersonNos[a]).ToArray();
            checks.Add(Labelled(label, await BalancesAgreeAsync(journal, campus, holders, Purses, options, cancellationToken)));
            if (options.Mix.HoldPercent > 0) checks.Add(Labelled(label, await BalancesAgreeAsync(journal, campus, holders, Holds, options, cancellationToken)));
            var payers = ledger.TouchedWallets(campus).Select(a => population.PersonNos[a]).ToArray();
            if (options.Mix.PaymentPercent > 0) checks.Add(Labelled(label, await BalancesAgreeAsync(journal, campus, payers, Wallets, options, cancellationToken)));
        }
        return Verification.Of(checks);
    }

    public static (bool, string) Labelled(string label, (bool Ok, string What) check) => (check.Ok, label + check.What);

    /// <summary>One kind of a holder's accounts: its name in the checks, its kind in the journal, its balance in Redis.</summary>
    public sealed record HolderAccount(string Plural, AccountKind Kind, Func<Balances, long> Hot);

    public static readonly HolderAccount Purses = new("purses", AccountKind.Purse, b => b.PurseFen);
    private static readonly HolderAccount Holds = new("holds accounts", AccountKind.Holds, b => b.HeldFen);
    private static readonly HolderAccount Wallets = new("e-wallets", AccountKind.Wallet, b => b.WalletFen);

    private static async Task<(bool, string)> InJournalOnceAsync(NpgsqlDataSource journal, LoadCampus campus, long[] ids, TransactionKind kind, CancellationToken cancellationToken)
    {
        await using var command = journal.CreateCommand("SELECT count(*) FROM transactions WHERE id = ANY($1) AND kind = $2 AND outcome = 1 AND campus_no = $3");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = campus.No });
        var found = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        var distinct = ids.Distinct().Count();
        var what = kind switch
        {
            TransactionKind.Debit => "debits",
            TransactionKind.Reversal => "reversals",
            _ => $"{kind} transactions",
        };
        return (found == ids.Length && distinct == ids.Length,
            $"{ids.Length} approved {what} answered ({distinct} distinct ids), {found} of them in the journal as approved {what}");
    }

    /// <summary>Answers are given after the journal commit, so both sides agree at once; a call that timed out may still be settling, hence the short wait.</summary>
    public static async Task<(bool, string)> BalancesAgreeAsync(
        NpgsqlDataSource journal, LoadCampus campus, string[] holders, HolderAccount account, LoadOptions options, CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        using var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        var store = new RedisHotStore(redis, Options.Create(new HotStoreOptions { KeyPrefix = options.KeyPrefix, Partitions = options.Partitions }));
        var settleBy = DateTime.UtcNow + SettleTime;
        while (true)
        {
            var hot = await Task.WhenAll(holders.Select(async h => (await store.ReadHolderAsync(HotTarget.Person(campus.No, h, known: true))) is { } state ? account.Hot(state.Balances) : 0));
            var booked = await BookedBalancesAsync(journal, campus, holders, account.Kind, cancellationToken);
            var differing = Enumerable.Range(0, holders.Length)
                .Where(i => hot[i] != booked.GetValueOrDefault(holders[i]))
                .ToList();
            if (differing.Count == 0)
                return (true, $"{holders.Length} {account.Plural} touched: the Redis balance equals the journal balance for each");
            if (DateTime.UtcNow > settleBy)
            {
                var first = differing[0];
                return (false, $"{differing.Count} of {holders.Length} {account.Plural} touched differ, e.g. holder {holders[first]}: " +
                    $"Redis {hot[first]}, journal {booked.GetValueOrDefault(holders[first])}");
            }
            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task<Dictionary<string, long>> BookedBalancesAsync(
        NpgsqlDataSource journal, LoadCampus campus, string[] holders, AccountKind kind, CancellationToken cancellationToken)
    {
        await using var command = journal.CreateCommand("""
            SELECT h.person_no, coalesce(sum(p.amount_fen), 0)::bigint
              FROM holders h LEFT JOIN postings p ON p.account_kind = $2 AND p.account_owner = h.id
             WHERE h.person_no = ANY($1) AND h.campus_no = $3 GROUP BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = holders });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = campus.No });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var balances = new Dictionary<string, long>(holders.Length);
        while (await reader.ReadAsync(cancellationToken)) balances[reader.GetString(0)] = reader.GetInt64(1);
        return balances;
    }
}
