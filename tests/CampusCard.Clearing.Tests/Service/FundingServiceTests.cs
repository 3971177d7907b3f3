using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

public class FundingServiceTests : ServiceTestBase
{
    private Task<FundingReply> TopUpAsync(string personNo, long amountFen, string channel = "", string? requestId = null) =>
        CallAsync(FundingAs(Domain.CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = requestId ?? NextId("bank"), PersonNo = personNo, AmountFen = amountFen, Channel = channel });

    private Task<FundingReply> TransferAsync(string personNo, long amountFen, TransferDirection direction) =>
        CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, new TransferRequest { RequestId = NextId("xfer"), PersonNo = personNo, AmountFen = amountFen, Direction = direction });

    [Fact]
    public async Task A_quota_top_up_moves_money_from_bank_clearing_to_the_purse()
    {
        var account = await OpenAccountAsync();

        var reply = await TopUpAsync(account.PersonNo, 5_000);

        Assert.Equal((Outcome.Approved, 5_000L), (reply.Outcome, reply.Balances.PurseFen));
        Assert.Equal(-5_000L, await Database.ScalarAsync<long>("SELECT sum(amount_fen)::bigint FROM postings WHERE account_kind = 5 AND account_owner = 1"));
    }

    [Theory]
    [InlineData(4, 59, 5_000, DeclineReason.OutsideServiceHours)]
    [InlineData(22, 1, 5_000, DeclineReason.OutsideServiceHours)]
    [InlineData(12, 0, 1_999, DeclineReason.AmountOutOfRange)]
    [InlineData(12, 0, 20_001, DeclineReason.AmountOutOfRange)]
    public async Task A_bank_top_up_outside_the_channel_rules_is_declined(int hour, int minute, long amount, DeclineReason expected)
    {
        var account = await OpenAccountAsync();
        Clock.Set(new DateTimeOffset(2026, 9, 1, hour, minute, 0, TimeSpan.FromHours(8)));

        var reply = await TopUpAsync(account.PersonNo, amount);

        Assert.Equal((Outcome.Declined, expected, 0L), (reply.Outcome, reply.DeclineReason, reply.Balances.PurseFen));
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(22, 0)]
    public async Task The_bank_channel_is_open_from_five_in_the_morning_to_ten_at_night(int hour, int minute)
    {
        // Handbook 3.1 (the CCB 悦生活 page): 充值时间为早5点到晚10点，金额为20-200元.
        var account = await OpenAccountAsync();
        Clock.Set(new DateTimeOffset(2026, 9, 1, hour, minute, 0, TimeSpan.FromHours(8)));

        var reply = await TopUpAsync(account.PersonNo, 2_000);

        Assert.Equal((Outcome.Approved, 2_000L), (reply.Outcome, reply.Balances.PurseFen));
    }

    [Fact]
    public async Task Another_channel_has_its_own_rules()
    {
        var account = await OpenAccountAsync();
        Clock.Set(new DateTimeOffset(2026, 9, 1, 3, 0, 0, TimeSpan.FromHours(8)));

        var reply = await TopUpAsync(account.PersonNo, 100, channel: "kiosk");

        Assert.Equal(Outcome.Approved, reply.Outcome);
        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => TopUpAsync(account.PersonNo, 100, channel: "atm"));
        Assert.StartsWith("channel must be one of", e.Status.Detail);
    }

    [Fact]
    public async Task Funding_an_unknown_person_is_declined()
    {
        var topUp = await TopUpAsync("NOBODY", 5_000);
        var credit = await CreditAsync("NOBODY", 5_000);

        Assert.Equal((Outcome.Declined, DeclineReason.UnknownPerson), (topUp.Outcome, topUp.DeclineReason));
        Assert.Equal((Outcome.Declined, DeclineReason.UnknownPerson), (credit.Outcome, credit.DeclineReason));
    }

    [Fact]
    public async Task A_retry_after_the_account_was_opened_gets_the_first_decline_and_moves_nothing()
    {
        var declined = await CreditAsync("2021100", 5_000, "credit-early");
        var account = await OpenAccountAsync("2021100");

        var retry = await CreditAsync("2021100", 5_000, "credit-early");

        Assert.Equal((Outcome.Declined, DeclineReason.UnknownPerson), (declined.Outcome, declined.DeclineReason));
        Assert.Equal(declined, retry);
        Assert.Equal(0L, await PurseAsync(account));
    }

    [Fact]
    public async Task Unknown_persons_do_not_share_request_ids()
    {
        var first = await TopUpAsync("NOBODY-1", 5_000, requestId: "bank-same");
        var second = await TopUpAsync("NOBODY-2", 6_000, requestId: "bank-same");

        Assert.Equal(DeclineReason.UnknownPerson, first.DeclineReason);
        Assert.Equal(DeclineReason.UnknownPerson, second.DeclineReason);
        Assert.NotEqual(first.TransactionId, second.TransactionId);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE request_id = 'bank-same'"));
    }

    [Fact]
    public async Task A_request_id_reused_with_another_memo_is_refused_and_changes_nothing()
    {
        var account = await OpenAccountAsync();
        await CallAsync(Funding.CreditAsync, new CreditRequest { RequestId = "adj-1", PersonNo = account.PersonNo, AmountFen = 100, Source = SystemAccount.Suspense, Memo = "first" });

        var e = await AssertStatusAsync(StatusCode.FailedPrecondition, () => CallAsync(Funding.CreditAsync,
            new CreditRequest { RequestId = "adj-1", PersonNo = account.PersonNo, AmountFen = 100, Source = SystemAccount.Suspense, Memo = "second" }));

        Assert.Contains("adj-1", e.Status.Detail);
        Assert.Equal("first", await Database.ScalarAsync<string>("SELECT string_agg(memo, ',') FROM transactions WHERE request_id = 'adj-1'"));
        Assert.Equal(100L, await PurseAsync(account));
    }

    [Fact]
    public async Task Every_call_records_who_made_it()
    {
        var account = await OpenAccountAsync();

        var credit = await CreditAsync(account.PersonNo, 100);
        var topUp = await TopUpAsync(account.PersonNo, 5_000);

        Assert.Equal("5 test-office", await Database.ScalarAsync<string>($"SELECT caller_role || ' ' || caller FROM transactions WHERE id = {credit.TransactionId}"));
        Assert.Equal("3 test-bank", await Database.ScalarAsync<string>($"SELECT caller_role || ' ' || caller FROM transactions WHERE id = {topUp.TransactionId}"));
    }

    [Fact]
    public async Task A_closed_account_takes_no_money()
    {
        var account = await OpenAccountAsync();
        await SetCardStateAsync(account, Domain.CardState.Closed);

        var reply = await TopUpAsync(account.PersonNo, 5_000);

        Assert.Equal((Outcome.Declined, DeclineReason.AccountClosed), (reply.Outcome, reply.DeclineReason));
    }

    [Fact]
    public async Task A_credit_names_its_system_account_and_keeps_its_memo()
    {
        var account = await OpenAccountAsync();

        var reply = await CreditAsync(account.PersonNo, 321);

        Assert.Equal(321L, reply.Balances.PurseFen);
        Assert.Equal("opening balance", await Database.ScalarAsync<string>($"SELECT memo FROM transactions WHERE id = {reply.TransactionId}"));
        Assert.Equal(-321L, await Database.ScalarAsync<long>($"SELECT amount_fen FROM postings WHERE transaction_id = {reply.TransactionId} AND account_kind = 5 AND account_owner = 5"));
    }

    [Fact]
    public async Task A_transfer_moves_money_between_purse_and_wallet_without_overdraft()
    {
        var account = await OpenFundedAccountAsync(1_000);

        var out1 = await TransferAsync(account.PersonNo, 700, TransferDirection.PurseToWallet);
        var over = await TransferAsync(account.PersonNo, 301, TransferDirection.PurseToWallet);
        var back = await TransferAsync(account.PersonNo, 200, TransferDirection.WalletToPurse);
        var overWallet = await TransferAsync(account.PersonNo, 501, TransferDirection.WalletToPurse);

        Assert.Equal(Outcome.Approved, out1.Outcome);
        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds), (over.Outcome, over.DeclineReason));
        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds), (overWallet.Outcome, overWallet.DeclineReason));
        Assert.Equal((500L, 500L), (back.Balances.PurseFen, back.Balances.WalletFen));
    }

    [Fact]
    public async Task Malformed_funding_requests_are_invalid()
    {
        var account = await OpenAccountAsync();

        var noSource = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Funding.CreditAsync,
            new CreditRequest { RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 1 }));
        var badSource = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Funding.CreditAsync,
            new CreditRequest { RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 1, Source = (Contracts.V1.SystemAccount)99 }));
        var noDirection = await AssertStatusAsync(StatusCode.InvalidArgument, () => TransferAsync(account.PersonNo, 1, TransferDirection.Unspecified));
        var noPerson = await AssertStatusAsync(StatusCode.InvalidArgument, () => TopUpAsync("", 5_000));

        Assert.StartsWith("source must be one of", noSource.Status.Detail);
        Assert.StartsWith("source must be one of", badSource.Status.Detail);
        Assert.StartsWith("direction must be one of", noDirection.Status.Detail);
        Assert.Equal("person_no is required", noPerson.Status.Detail);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind <> 6"));
    }
}
