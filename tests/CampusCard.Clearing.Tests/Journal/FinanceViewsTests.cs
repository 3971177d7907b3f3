using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// The finance views of docs/finance.md (migrations 011, 012) against a day of known transactions, computed by hand:
/// top-ups through two channels, a credit, an e-wallet top-up, debits and a reversal, a settled hold, a payment and a
/// refund, a subsidy and a claim, a replacement's fee and a closed account's refund; at noon in Beijing (04:00 UTC, the
/// database's zone), the replacement and the close two minutes later.
/// </summary>
public class FinanceViewsTests : ServiceTestBase
{
    private Account _a = null!;
    private Account _b = null!;
    private DateTimeOffset _beforeFee;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _a = await OpenAccountAsync("FIN-A");
        _b = await OpenAccountAsync("FIN-B");
        var canteen = await OpenMerchantAsync("CANTEEN-2");
        var payee = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "ELECTRICITY", Name = "电费", Category = MerchantCategory.Electricity });
        var bank = FundingAs(Domain.CallerRole.Bank);
        var payments = new Payments.PaymentsClient(As(Domain.CallerRole.Payments));
        await CreditAsync(_a.PersonNo, 10_000);
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "b-1", PersonNo = _b.PersonNo, AmountFen = 5_000 });
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "o-1", PersonNo = _a.PersonNo, AmountFen = 700, Channel = "online" });
        await CallAsync(bank.TopUpWalletAsync, new TopUpWalletRequest { RequestId = "w-1", PersonNo = _a.PersonNo, AmountFen = 2_000 });
        await DebitAsync(Debit(_a, canteen, 1_200, "d-1"));
        await ReverseAsync(_a, "d-1");
        await DebitAsync(Debit(_a, canteen, 800, "d-2"));
        await CallAsync(TerminalOf(canteen.MerchantId).HoldAsync, new HoldRequest { RequestId = "h-1", CardNo = _a.CardNo, MaxFen = 500, TtlSeconds = 600 });
        await CallAsync(TerminalOf(canteen.MerchantId).SettleHoldAsync, new SettleHoldRequest { RequestId = "s-1", HoldRequestId = "h-1", CardNo = _a.CardNo, AmountFen = 300 });
        await CallAsync(payments.SetPasswordAsync, new SetPaymentPasswordRequest { RequestId = "pw", PersonNo = _a.PersonNo, Password = "246813", Pin = DefaultPin });
        await CallAsync(payments.PayAsync, new PayRequest { RequestId = "p-1", PersonNo = _a.PersonNo, PayeeMerchantId = payee.MerchantId, AmountFen = 1_000, Source = PaymentSource.Wallet, Password = "246813" });
        await CallAsync(payments.RefundAsync, new RefundRequest { RequestId = "r-1", PersonNo = _a.PersonNo, PaymentRequestId = "p-1", PayeeMerchantId = payee.MerchantId, AmountFen = 400 });
        using (var upload = Cards.IssueSubsidies())
        {
            await upload.RequestStream.WriteAsync(new SubsidyUpload { BatchId = "SUB-1", Rows = { new SubsidyRow { PersonNo = _a.PersonNo, AmountFen = 300 } } });
            await upload.RequestStream.CompleteAsync();
            await upload.ResponseAsync;
        }
        await CallAsync(new Kiosk.KioskClient(As(Domain.CallerRole.Kiosk)).ClaimPendingAsync, new ClaimPendingRequest { RequestId = "c-1", CardNo = _a.CardNo });
        Clock.Advance(TimeSpan.FromMinutes(1));
        _beforeFee = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await CallAsync(Cards.ReplaceCardAsync, new ReplaceCardRequest { RequestId = "rep-1", PersonNo = _a.PersonNo, Reason = ReplaceReason.Lost });
        await CallAsync(Cards.CloseAccountAsync, new CloseAccountRequest { RequestId = "close-1", PersonNo = _b.PersonNo });
        await AssertInvariantsAsync();
    }

    private Task<string> RowAsync(string sql) => Database.ScalarAsync<string>(sql);

    [Fact]
    public async Task The_float_owed_to_cardholders_stands_against_bank_clearing()
    {
        Assert.Equal("9300 7900 1400 0 0 1700 7700 -3300", await RowAsync(
            "SELECT concat_ws(' ', owed_to_cardholders_fen, purses_fen, wallets_fen, pending_fen, holds_fen, merchants_unsettled_fen, bank_clearing_fen, other_system_fen) FROM cardholder_float"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT sum(balance_fen)::bigint FROM trial_balance_by_kind"));
    }

    [Fact]
    public async Task A_merchants_day_shows_its_sales_reversals_refunds_and_net()
    {
        Assert.Equal("3 2300 1 1200 0 0 1100", await RowAsync(
            "SELECT concat_ws(' ', sales, gross_fen, reversals, reversals_fen, refunds, refunds_fen, net_fen) FROM merchant_days WHERE merchant_id = 'CANTEEN-2'"));
        Assert.Equal("electricity 1 1000 1 400 600", await RowAsync(
            "SELECT concat_ws(' ', category, sales, gross_fen, refunds, refunds_fen, net_fen) FROM merchant_days WHERE merchant_id = 'ELECTRICITY'"));
    }

    [Fact]
    public async Task Daily_funding_fees_and_refunds_payable_are_by_channel_kind_and_cardholder()
    {
        Assert.Equal("credit/suspense 10000, quota_top_up/bank 5000, quota_top_up/online 700, top_up_wallet/ 2000", await RowAsync(
            "SELECT string_agg(kind || '/' || coalesce(channel, '') || ' ' || amount_fen, ', ' ORDER BY kind, channel) FROM daily_funding"));
        Assert.Equal("replace_card 2000", await RowAsync("SELECT string_agg(kind || ' ' || amount_fen, ', ') FROM fee_income"));
        Assert.Equal("FIN-B 5000", await RowAsync("SELECT string_agg(person_no || ' ' || refund_fen, ', ') FROM refunds_payable"));
    }

    [Fact]
    public async Task Every_time_in_the_views_is_the_campus_wall_clock_and_every_fen_amount_has_its_yuan()
    {
        const string views = "c.table_schema = 'public' AND c.table_name IN (SELECT table_name FROM information_schema.views WHERE table_schema = 'public')";
        Assert.Equal("", await RowAsync($"SELECT coalesce(string_agg(c.table_name || '.' || c.column_name, ', '), '') FROM information_schema.columns c WHERE {views} AND c.data_type = 'timestamp with time zone'"));
        Assert.Equal("", await RowAsync($"""
            SELECT coalesce(string_agg(c.table_name || '.' || c.column_name, ', '), '') FROM information_schema.columns c
             WHERE {views} AND c.column_name LIKE '%\_fen' AND c.table_name NOT IN ('postings', 'campus_crossings', 'account_balances', 'trial_balance')
               AND NOT EXISTS (SELECT 1 FROM information_schema.columns y WHERE y.table_name = c.table_name AND y.column_name = replace(c.column_name, '_fen', '_yuan')
                                                                           AND y.numeric_precision = 14 AND y.numeric_scale = 2)
            """));
        Assert.Equal("2026-09-01 12:00:00 2026-09-01 800 8.00 9200 92.00", await RowAsync(
            "SELECT concat_ws(' ', decided_at, business_date, moved_fen, moved_yuan, purse_after_fen, purse_after_yuan) FROM journal WHERE request_id = 'd-2'"));
        Assert.Equal("2026-09-01 12:02:00 20.00", await RowAsync("SELECT concat_ws(' ', decided_at, moved_yuan) FROM audit WHERE request_id = 'rep-1'"));
        Assert.Equal("11.00 93.00 -33.00", await RowAsync(
            "SELECT concat_ws(' ', d.net_yuan, f.owed_to_cardholders_yuan, f.other_system_yuan) FROM merchant_days d, cardholder_float f WHERE d.merchant_id = 'CANTEEN-2'"));
    }

    [Fact]
    public async Task Refunds_payable_lists_every_credit_to_a_closed_person_and_what_is_still_owed_after_payouts()
    {
        // After 报退 the engine books what still reaches FIN-B to refunds payable: a payee's refund (main legs) at 07:30 on
        // 2 September in Beijing (23:30 UTC on the 1st), a settled hold's rest (side legs), then a payout to the bank.
        const string payee = "(SELECT no FROM merchants WHERE merchant_id = 'ELECTRICITY')";
        const string canteen = "(SELECT no FROM merchants WHERE merchant_id = 'CANTEEN-2')";
        var secondOfSeptember = Domain.BusinessCalendar.DayNumber(new DateOnly(2026, 9, 2));
        await Database.InsertChangedCopyOfLastTransactionAsync(
            $"kind = 24, from_kind = 4, from_owner = {payee}, amount_fen = 400, moved_fen = 400, decided_at = '2026-09-01 23:30:00+00', business_day = {secondOfSeptember}", "close-1");
        await Database.InsertChangedCopyOfLastTransactionAsync(
            $"kind = 27, from_kind = 6, from_owner = holder_id, to_kind = 4, to_owner = {canteen}, amount_fen = 500, moved_fen = 300, " +
            "side_from_kind = 6, side_from_owner = holder_id, side_to_kind = 5, side_to_owner = 4, side_fen = 200");
        // The payout's own kind comes with a later issue; the views read only the legs.
        await Database.InsertChangedCopyOfLastTransactionAsync(
            "kind = 29, from_kind = 5, from_owner = 4, to_kind = 5, to_owner = 1, amount_fen = 3000, moved_fen = 3000, " +
            "side_from_kind = NULL, side_from_owner = NULL, side_to_kind = NULL, side_to_owner = NULL, side_fen = 0");

        Assert.Equal(
            "FIN-B close_account 2026-09-01 12:02:00 2026-09-01 5000 50.00, " +
            "FIN-B payment_refund 2026-09-02 07:30:00 2026-09-02 400 4.00, " +
            "FIN-B settle_hold 2026-09-02 07:30:00 2026-09-02 200 2.00",
            await RowAsync("SELECT string_agg(concat_ws(' ', person_no, kind, credited_at, business_date, refund_fen, refund_yuan), ', ' ORDER BY transaction_id) FROM refunds_payable"));
        Assert.Equal("FIN-B 2026-09-01 12:02:00 3 5600 56.00 3000 30.00 2600 26.00", await RowAsync(
            "SELECT string_agg(concat_ws(' ', person_no, closed_at, credits, credited_fen, credited_yuan, paid_out_fen, paid_out_yuan, owed_fen, owed_yuan), ', ') FROM refunds_payable_by_person"));
    }

    [Fact]
    public async Task Subsidy_batches_count_what_was_issued_claimed_recalled_and_is_still_pending()
    {
        Assert.Equal("1 300 1 300 0 0 0 0", await RowAsync(
            "SELECT concat_ws(' ', issued, issued_fen, claimed, claimed_fen, recalled, recalled_fen, unclaimed, unclaimed_fen) FROM subsidy_batch_totals WHERE batch_id = 'SUB-1'"));
    }

    [Fact]
    public async Task Cardholder_states_and_a_past_balance_and_the_audit_read_from_the_journal()
    {
        Assert.Equal("FIN-A active 7900 1400, FIN-B closed 0 0", await RowAsync(
            "SELECT string_agg(concat_ws(' ', person_no, state, purse_fen, wallet_fen), ', ' ORDER BY person_no) FROM cardholder_states"));
        Assert.Equal(9_900L, await Database.ScalarAsync<long>(
            $"SELECT account_balance_at(1::smallint, (SELECT id FROM holders WHERE person_no = 'FIN-A'), '{_beforeFee.UtcDateTime:O}')"));
        Assert.Equal("bank, kiosk, office, payments, terminal", await RowAsync("SELECT string_agg(DISTINCT caller_role, ', ') FROM audit"));
        Assert.Equal(await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"), await Database.ScalarAsync<long>("SELECT count(*) FROM journal WHERE kind IS NOT NULL AND outcome IS NOT NULL"));
        Assert.Equal("CANTEEN-2 二食堂 dining", await RowAsync("SELECT concat_ws(' ', merchant_id, merchant_name, merchant_category) FROM journal WHERE request_id = 'd-2'"));
    }
}
