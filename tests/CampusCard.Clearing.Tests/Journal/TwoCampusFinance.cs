using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Npgsql;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// A journal of two campuses, 'default' (campus 1, UTC+8) and 'north' (campus 2, UTC-5), each with a cardholder, a
/// merchant with the same merchant id 'CANTEEN', a card, a subsidy batch 'SUB-1' and one business day: a top-up, a debit,
/// the merchant's settlement, a subsidy, a card fee, the account's close (报退) and a refused offline record, north's
/// amounts twice default's. The registry's rows are written through the registry, the transactions as plain SQL by the
/// service's role; then a finance login of each campus, a vendor's, and one listed nowhere (scripts/finance-login.sh).
/// Each campus's accounts: bank clearing -8,800 × f, subsidy fund -300 × f, fee income 500 × f, refunds payable
/// 8,300 × f, pending 300 × f, purse and merchant 0 (f = 1 at default, 2 at north).
/// </summary>
public sealed class TwoCampusFinance : IAsyncLifetime
{
    private const string Password = "campus-finance-password";
    private static readonly DateTimeOffset Day = new(2026, 6, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly int BusinessDay = new DateOnly(2026, 6, 1).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private readonly string _prefix = $"rls_{Guid.NewGuid():N}"[..12];

    public ScratchDatabase Database { get; private set; } = null!;

    /// <summary>The finance logins: of campus default, of campus north, a vendor's, and one not in finance_logins.</summary>
    public NpgsqlDataSource Default { get; private set; } = null!;
    public NpgsqlDataSource North { get; private set; } = null!;
    public NpgsqlDataSource Vendor { get; private set; } = null!;
    public NpgsqlDataSource Unlisted { get; private set; } = null!;

    /// <summary>North's cardholder's id (its accounts' owner).</summary>
    public long NorthHolderId { get; private set; }

    private string[] Logins => [.. new[] { "default", "north", "vendor", "unlisted" }.Select(who => $"{_prefix}_{who}")];

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync();
        var north = (await Database.Registry.CreateCampusAsync("north", "North campus", 0, "test", Day, default))!;
        await Database.ExecuteAsync($"INSERT INTO campus_settings (campus_no, utc_offset) VALUES ({north.No}, '-05:00')");
        await DayOfAsync(Campuses.Default, "A-1", "Li Lei", "Canteen A", "100", 1);
        NorthHolderId = await DayOfAsync(north.No, "B-1", "Han Meimei", "Canteen B", "200", 2);

        var logins = Logins;
        Default = await FinanceLoginScript.CreateLoginAsync(Database.ConnectionString, logins[0], Password, "--campus", "default");
        North = await FinanceLoginScript.CreateLoginAsync(Database.ConnectionString, logins[1], Password, "--campus", "north");
        Vendor = await FinanceLoginScript.CreateLoginAsync(Database.ConnectionString, logins[2], Password);
        Unlisted = await FinanceLoginScript.CreateLoginAsync(Database.ConnectionString, logins[3], Password, "--campus", "default");
        await Database.ExecuteAsync($"DELETE FROM finance_logins WHERE login = '{logins[3]}'");
    }

    public async Task DisposeAsync()
    {
        foreach (var login in new[] { Default, North, Vendor, Unlisted }.Where(login => login is not null)) await login.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        foreach (var login in Logins) await FinanceLoginScript.DropLoginAsync(LocalServers.JournalConnectionString, login);
    }

    /// <summary>One campus's registry rows and business day, its amounts <paramref name="f"/> times the base ones; the holder's id.</summary>
    private async Task<long> DayOfAsync(short campus, string personNo, string name, string merchantName, string cardNo, long f)
    {
        var holder = (await Database.Registry.OpenHolderAsync(campus, personNo, name, CardType.Student, "", Day, default))!;
        var merchant = (await Database.Registry.OpenMerchantAsync(campus, "CANTEEN", merchantName, MerchantCategory.Dining, Day, default))!;
        await Database.Registry.IssueCardAsync(campus, cardNo, holder.Id, Day, default);
        await Database.Registry.OpenSubsidyBatchAsync(new SubsidyBatch("SUB-1", Day.AddDays(30), "", "test", Day, campus), default);

        var person = Campuses.Qualify(campus, "p:" + personNo);
        var card = Campuses.Qualify(campus, "c:" + cardNo);
        var purse = (AccountKind.Purse, holder.Id);
        var bank = (AccountKind.System, (long)SystemAccount.BankClearing);
        var shop = (AccountKind.Merchant, merchant.No);
        var closed = HolderFormat.Write(new HolderHotState { HolderId = holder.Id, PersonNo = personNo, Campus = campus, Closed = true });
        var id = campus * 100L;
        var rows = new Row[]
        {
            new(++id, TransactionKind.QuotaTopUp, person, "top-1", 10_000 * f) { From = bank, To = purse, Channel = "bank" },
            new(++id, TransactionKind.Debit, card, "d-1", 1_200 * f) { From = purse, To = shop, Merchant = merchant, Terminal = "T-1" },
            new(++id, TransactionKind.Settlement, Campuses.Qualify(campus, "m:CANTEEN"), "settlement-1", 1_200 * f) { From = shop, To = bank, Merchant = merchant },
            new(++id, TransactionKind.Subsidy, person, "SUB-1", 300 * f) { From = (AccountKind.System, (long)SystemAccount.SubsidyFund), To = (AccountKind.Pending, holder.Id) },
            new(++id, TransactionKind.ReplaceCard, person, "rep-1", 500 * f) { From = purse, To = (AccountKind.System, (long)SystemAccount.FeeIncome) },
            new(++id, TransactionKind.CloseAccount, person, "close-1", 8_300 * f) { From = purse, To = (AccountKind.System, (long)SystemAccount.RefundsPayable), HolderAfter = closed },
            new(++id, TransactionKind.OfflineDebit, card, "off-1", 0) { Refused = DeclineReason.OfflineRecordTooOld, AmountFen = 700 * f, Merchant = merchant, Terminal = "T-1" },
        };
        foreach (var row in rows) await InsertAsync(campus, holder.Id, row);
        return holder.Id;
    }

    /// <summary>A transaction as the journal stores it; ids are 1024 apart (their low ten bits are the partition).</summary>
    private sealed record Row(long Seq, TransactionKind Kind, string Scope, string RequestId, long MovedFen)
    {
        public (AccountKind Kind, long Owner)? From { get; init; }
        public (AccountKind Kind, long Owner)? To { get; init; }
        public DeclineReason? Refused { get; init; }
        public long? AmountFen { get; init; }
        public Merchant? Merchant { get; init; }
        public string Terminal { get; init; } = "";
        public string Channel { get; init; } = "";
        public byte[]? HolderAfter { get; init; }
    }

    private async Task InsertAsync(short campus, long holderId, Row row)
    {
        var decidedAt = Day.AddMinutes(row.Seq % 100);
        await using var cmd = Database.DataSource.CreateCommand("""
            INSERT INTO transactions (id, campus_no, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen,
                purse_after_fen, wallet_after_fen, pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no,
                original_request_id, source, direction, channel, memo, business_day, decided_at, occurred_at, ref,
                from_kind, from_owner, to_kind, to_owner, card_no, holder_after)
            VALUES (@id, @campus, @holder, @scope, @request, @kind, @outcome, @reason, 0, @amount, @moved,
                0, 0, 0, 0, @terminal, @merchant_id, @merchant_no,
                '', 0, 0, @channel, '', @day, @at, @occurred, @ref,
                @from_kind, @from_owner, @to_kind, @to_owner, '', @holder_after)
            """);
        cmd.Parameters.AddWithValue("id", row.Seq * 1024);
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("holder", holderId);
        cmd.Parameters.AddWithValue("scope", row.Scope);
        cmd.Parameters.AddWithValue("request", row.RequestId);
        cmd.Parameters.AddWithValue("kind", (short)row.Kind);
        cmd.Parameters.AddWithValue("outcome", (short)(row.Refused is null ? Outcome.Approved : Outcome.Declined));
        cmd.Parameters.AddWithValue("reason", (short)(row.Refused ?? DeclineReason.None));
        cmd.Parameters.AddWithValue("amount", row.AmountFen ?? row.MovedFen);
        cmd.Parameters.AddWithValue("moved", row.MovedFen);
        cmd.Parameters.AddWithValue("terminal", row.Terminal);
        cmd.Parameters.AddWithValue("merchant_id", row.Merchant?.MerchantId ?? "");
        cmd.Parameters.AddWithValue("merchant_no", row.Merchant?.No ?? 0);
        cmd.Parameters.AddWithValue("channel", row.Channel);
        cmd.Parameters.AddWithValue("day", BusinessDay);
        cmd.Parameters.AddWithValue("at", decidedAt);
        cmd.Parameters.AddWithValue("occurred", NpgsqlTypes.NpgsqlDbType.TimestampTz, row.Kind == TransactionKind.OfflineDebit ? decidedAt.AddDays(-40) : (object)DBNull.Value);
        cmd.Parameters.AddWithValue("ref", row.Kind == TransactionKind.Settlement ? (long)BusinessDay : 0L);
        cmd.Parameters.AddWithValue("from_kind", NpgsqlTypes.NpgsqlDbType.Smallint, (object?)(short?)row.From?.Kind ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from_owner", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)row.From?.Owner ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to_kind", NpgsqlTypes.NpgsqlDbType.Smallint, (object?)(short?)row.To?.Kind ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to_owner", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)row.To?.Owner ?? DBNull.Value);
        cmd.Parameters.AddWithValue("holder_after", NpgsqlTypes.NpgsqlDbType.Bytea, (object?)row.HolderAfter ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync();
    }
}
