using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

public class TerminalServiceTests : ServiceTestBase
{
    [Fact]
    public async Task An_approved_debit_is_in_the_journal_when_it_is_answered()
    {
        var account = await OpenFundedAccountAsync(2_000);
        var merchant = await OpenMerchantAsync();

        var reply = await DebitAsync(Debit(account, merchant, 850));

        Assert.Equal((Outcome.Approved, DeclineReason.Unspecified, 1_150L), (reply.Outcome, reply.DeclineReason, reply.BalanceFen));
        Assert.Equal(850L, await Database.ScalarAsync<long>($"SELECT moved_fen FROM transactions WHERE id = {reply.TransactionId}"));
        Assert.Equal(1_150L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_retry_gets_the_first_answer_and_the_money_moves_once()
    {
        var account = await OpenFundedAccountAsync(2_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 700);

        var first = await DebitAsync(debit);
        var retries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DebitAsync(debit)));

        Assert.All(retries, r => Assert.Equal(first, r));
        Assert.Equal(1_300L, await PurseAsync(account));
        Assert.Equal(1L, await Database.ScalarAsync<long>($"SELECT count(*) FROM transactions WHERE request_id = '{debit.RequestId}'"));
    }

    [Fact]
    public async Task A_request_id_reused_for_another_amount_is_rejected_and_changes_nothing()
    {
        var account = await OpenFundedAccountAsync(2_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 700);
        await DebitAsync(debit);

        var e = await AssertStatusAsync(StatusCode.FailedPrecondition, () => DebitAsync(debit.Clone().With(d => d.AmountFen = 701)));

        Assert.Contains(debit.RequestId, e.Status.Detail);
        Assert.Equal(1_300L, await PurseAsync(account));
    }

    [Fact]
    public async Task Debits_are_declined_with_a_reason_each()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();

        var insufficient = await DebitAsync(Debit(account, merchant, 1_001));
        var garbageCard = await DebitAsync(Debit(account, merchant, 1).With(d => d.CardNo = "123"));
        var neverIssued = await DebitAsync(Debit(account, merchant, 1).With(d => d.CardNo = Domain.CardNumbers.Generate("never issued")));

        Assert.Equal(DeclineReason.InsufficientFunds, insufficient.DeclineReason);
        Assert.Equal(DeclineReason.UnknownCard, garbageCard.DeclineReason);
        Assert.Equal(DeclineReason.UnknownCard, neverIssued.DeclineReason);
        Assert.All(new[] { insufficient, garbageCard, neverIssued }, r => Assert.Equal(Outcome.Declined, r.Outcome));
        Assert.Equal(1_000L, await PurseAsync(account));
        Assert.Equal(3L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 1 AND outcome = 2"));
    }

    [Theory]
    [InlineData(Domain.CardState.Lost, DeclineReason.CardLost)]
    [InlineData(Domain.CardState.Frozen, DeclineReason.CardFrozen)]
    [InlineData(Domain.CardState.Closed, DeclineReason.CardClosed)]
    public async Task A_card_that_is_not_active_is_declined(Domain.CardState state, DeclineReason expected)
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await SetCardStateAsync(account, state);
        var before = await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE outcome = 1");

        var reply = await DebitAsync(Debit(account, merchant, 100));

        Assert.Equal((Outcome.Declined, expected), (reply.Outcome, reply.DeclineReason));
        Assert.Equal(before, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE outcome = 1"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_reversal_refunds_the_debit_once()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 400);
        await DebitAsync(debit);

        var reversal = await ReverseAsync(account, debit.RequestId);
        var second = await ReverseAsync(account, debit.RequestId);

        Assert.Equal((Outcome.Approved, ReversalEffect.Refunded, 400L, 1_000L),
            (reversal.Outcome, reversal.Effect, reversal.ReversedAmountFen, reversal.BalanceFen));
        Assert.Equal((Outcome.Declined, DeclineReason.AlreadyReversed), (second.Outcome, second.DeclineReason));
        Assert.Equal(0L, await Database.ScalarAsync<long>($"SELECT sum(amount_fen)::bigint FROM postings WHERE account_kind = 4"));
    }

    [Fact]
    public async Task A_reversal_that_comes_first_declines_the_late_original()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 400);

        var reversal = await ReverseAsync(account, debit.RequestId);
        var late = await DebitAsync(debit);

        Assert.Equal((Outcome.Approved, ReversalEffect.OriginalUnknown), (reversal.Outcome, reversal.Effect));
        Assert.Equal((Outcome.Declined, DeclineReason.ReversedBeforeArrival), (late.Outcome, late.DeclineReason));
        Assert.Equal(1_000L, await PurseAsync(account));
    }

    [Fact]
    public async Task Reversing_a_declined_debit_moves_nothing_and_a_reversal_is_not_reversible()
    {
        var account = await OpenFundedAccountAsync(100);
        var merchant = await OpenMerchantAsync();
        var declined = Debit(account, merchant, 400);
        await DebitAsync(declined);

        var noop = await ReverseAsync(account, declined.RequestId, "reversal-1");
        var notReversible = await ReverseAsync(account, "reversal-1");

        Assert.Equal((Outcome.Approved, ReversalEffect.NothingToReverse, 0L), (noop.Outcome, noop.Effect, noop.ReversedAmountFen));
        Assert.Equal((Outcome.Declined, DeclineReason.NotReversible), (notReversible.Outcome, notReversible.DeclineReason));
        Assert.Equal(100L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_request_id_is_scoped_by_the_card_it_names_so_a_top_up_id_is_no_debit_to_reverse()
    {
        var account = await OpenFundedAccountAsync(100);
        await OpenMerchantAsync();
        await CreditAsync(account.PersonNo, 50, "shared-id");

        var reversal = await ReverseAsync(account, "shared-id");

        Assert.Equal((Outcome.Approved, ReversalEffect.OriginalUnknown, 0L), (reversal.Outcome, reversal.Effect, reversal.ReversedAmountFen));
        Assert.Equal(150L, await PurseAsync(account));
    }

    [Fact]
    public async Task GetBalance_shows_balances_and_state_of_a_live_card()
    {
        var account = await OpenFundedAccountAsync(1_234);

        var reply = await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo });

        Assert.Equal((account.PersonNo, CardState.Active, 1_234L, 1_234L),
            (reply.PersonNo, reply.CardState, reply.BalanceFen, reply.Balances.PurseFen));
        await AssertStatusAsync(StatusCode.NotFound, () => CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = "000000000000" }));
    }

    public static TheoryData<string, Action<DebitRequest>> MalformedDebits => new()
    {
        { "request_id is required", d => d.RequestId = "" },
        { "request_id is longer than 64 characters", d => d.RequestId = new string('x', 65) },
        { "card_no is required", d => d.CardNo = "" },
        { "merchant_id 'M 1' may hold only letters, digits and - _ . :", d => d.MerchantId = "M 1" },
        { "terminal_id '终端 1' may hold only letters, digits and - _ . :", d => d.TerminalId = "终端 1" },
        { "amount_fen must be greater than 0", d => d.AmountFen = 0 },
        { "amount_fen must be greater than 0", d => d.AmountFen = -100 },
        { "amount_fen must be at most 10000000", d => d.AmountFen = 10_000_001 },
    };

    [Theory]
    [MemberData(nameof(MalformedDebits))]
    public async Task A_malformed_debit_is_invalid_and_changes_nothing(string message, Action<DebitRequest> spoil)
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 100);
        spoil(debit);

        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(TerminalOf(merchant.MerchantId).DebitAsync, debit));

        Assert.Equal(message, e.Status.Detail);
        Assert.Equal(1_000L, await PurseAsync(account));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 1"));
    }

    [Fact]
    public async Task A_reversal_must_name_another_request()
    {
        var account = await OpenFundedAccountAsync(1_000);
        await OpenMerchantAsync();

        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => ReverseAsync(account, "same", "same"));

        Assert.Equal("original_request_id must differ from request_id", e.Status.Detail);
    }

    [Fact]
    public async Task A_debit_batch_is_decided_item_by_item_in_order()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var batch = new DebitBatchRequest { Debits = { Debit(account, merchant, 600), Debit(account, merchant, 600), Debit(account, merchant, 400) } };

        var reply = await CallAsync(Terminal.DebitBatchAsync, batch);
        var retry = await CallAsync(Terminal.DebitBatchAsync, batch);

        Assert.Equal([Outcome.Approved, Outcome.Declined, Outcome.Approved], reply.Replies.Select(r => r.Outcome));
        Assert.Equal(DeclineReason.InsufficientFunds, reply.Replies[1].DeclineReason);
        Assert.Equal(0L, reply.Replies[2].BalanceFen);
        Assert.Equal(reply, retry);
        await AssertInvariantsAsync(reply.Replies.Select(r => r.TransactionId));
    }

    [Fact]
    public async Task A_debit_batch_with_a_malformed_item_is_invalid_and_decides_nothing()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var batch = new DebitBatchRequest { Debits = { Debit(account, merchant, 100), Debit(account, merchant, 0) } };

        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Terminal.DebitBatchAsync, batch));
        var empty = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Terminal.DebitBatchAsync, new DebitBatchRequest()));

        Assert.Equal("debits[1]: amount_fen must be greater than 0", e.Status.Detail);
        Assert.Equal("debits is empty", empty.Status.Detail);
        Assert.Equal(1_000L, await PurseAsync(account));
    }

    [Fact]
    public async Task Debits_with_different_unknown_cards_do_not_share_request_ids()
    {
        var merchant = await OpenMerchantAsync();
        var account = await OpenFundedAccountAsync(1_000);

        var first = await DebitAsync(Debit(account, merchant, 100, "T1-7").With(d => d.CardNo = "NO-SUCH-CARD-1"));
        var second = await DebitAsync(Debit(account, merchant, 200, "T1-7").With(d => d.CardNo = "NO-SUCH-CARD-2"));
        var real = await DebitAsync(Debit(account, merchant, 300, "T1-7"));

        Assert.Equal([DeclineReason.UnknownCard, DeclineReason.UnknownCard, DeclineReason.Unspecified], new[] { first, second, real }.Select(r => r.DeclineReason));
        Assert.Equal(3, new[] { first, second, real }.Select(r => r.TransactionId).Distinct().Count());
        Assert.Equal(700L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_batch_item_reusing_an_earlier_request_id_gets_its_own_status_and_the_others_are_decided()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await DebitAsync(Debit(account, merchant, 100, "used-before"));
        var batch = new DebitBatchRequest { Debits = { Debit(account, merchant, 200), Debit(account, merchant, 999, "used-before"), Debit(account, merchant, 300) } };

        var reply = await CallAsync(Terminal.DebitBatchAsync, batch);

        Assert.Equal([Outcome.Approved, Outcome.Unspecified, Outcome.Approved], reply.Replies.Select(r => r.Outcome));
        Assert.Equal((int)StatusCode.FailedPrecondition, reply.Replies[1].Status.Code);
        Assert.Contains("used-before", reply.Replies[1].Status.Message);
        Assert.Null(reply.Replies[0].Status);
        Assert.Equal(400L, await PurseAsync(account));
        Assert.Equal(reply, await CallAsync(Terminal.DebitBatchAsync, batch));
    }

    [Fact]
    public async Task A_batch_with_two_items_under_one_request_id_and_different_amounts_decides_nothing()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var batch = new DebitBatchRequest { Debits = { Debit(account, merchant, 100), Debit(account, merchant, 200, "twice"), Debit(account, merchant, 300, "twice") } };

        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Terminal.DebitBatchAsync, batch));

        Assert.Equal("debits[2] reuses the request_id of debits[1] for a different debit", e.Status.Detail);
        Assert.Equal(1_000L, await PurseAsync(account));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 1"));
    }
}
