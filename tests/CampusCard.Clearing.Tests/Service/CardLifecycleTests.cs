using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The card lifecycle of handbook chapter 4 and its rules (art. 11-22, Q&amp;A 3), decided and journaled like money.</summary>
public class CardLifecycleTests : ServiceTestBase
{
    private Kiosk.KioskClient Kiosk => new(As(Domain.CallerRole.Kiosk));

    [Fact]
    public async Task An_account_opens_with_the_card_offices_number_the_default_pin_and_its_types_limits()
    {
        var account = await CallAsync(Cards.OpenAccountAsync, new OpenAccountRequest
        {
            PersonNo = "2021001", Name = "张三", CardType = CardType.Student, IdNumber = IdNumber, CardNo = "20210010001",
        });

        Assert.Equal("20210010001", account.CardNo);
        Assert.Equal((CardState.Active, true, 10_000L, 30_000L, false),
            (account.Status.State, account.Status.PinIsDefault, account.Status.SingleLimitFen, account.Status.DailyLimitFen, account.Status.PinLocked));
        var secrets = await Database.ScalarAsync<string>("SELECT string_agg(hash, ' ') FROM secrets") + await Database.ScalarAsync<string>("SELECT id_number_hash FROM holders");
        Assert.StartsWith("pbkdf2-sha256$", secrets);
        Assert.DoesNotContain("012341", secrets);
        Assert.DoesNotContain("2102001999", secrets);
    }

    [Fact]
    public async Task A_card_number_issued_to_someone_else_is_not_issued_again()
    {
        await CallAsync(Cards.OpenAccountAsync, new OpenAccountRequest { PersonNo = "A1", Name = "甲", CardType = CardType.Staff, IdNumber = IdNumber, CardNo = "300000001" });

        var e = await AssertStatusAsync(StatusCode.AlreadyExists, () => CallAsync(Cards.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "A2", Name = "乙", CardType = CardType.Staff, IdNumber = IdNumber, CardNo = "300000001" }));

        Assert.Contains("300000001", e.Status.Detail);
    }

    [Fact]
    public async Task A_lost_card_is_declined_and_what_it_did_before_the_report_stands()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var before = await DebitAsync(Debit(account, merchant, 100));

        var report = await ReportLossAsync(CardOf(account));
        var after = await DebitAsync(Debit(account, merchant, 100));

        Assert.Equal((Outcome.Approved, CardState.Lost), (report.Outcome, report.CardState));
        Assert.Equal(Outcome.Approved, before.Outcome);
        Assert.Equal((Outcome.Declined, DeclineReason.CardLost), (after.Outcome, after.DeclineReason));
        Assert.Equal(900L, (await AccountAsync(account)).Balances.PurseFen);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Loss_is_reported_by_card_or_person_number_by_the_office_kiosks_and_the_payments_platform()
    {
        var byKiosk = await OpenAccountAsync();
        var byPayments = await OpenAccountAsync();

        var kiosk = await CallAsync(new Cards.CardsClient(As(Domain.CallerRole.Kiosk)).ReportLossAsync, new ReportLossRequest { RequestId = NextId(), CardNo = byKiosk.CardNo });
        var payments = await CallAsync(new Cards.CardsClient(As(Domain.CallerRole.Payments)).ReportLossAsync, new ReportLossRequest { RequestId = NextId(), PersonNo = byPayments.PersonNo });
        var twice = await ReportLossAsync(CardOf(byKiosk));

        Assert.Equal((CardState.Lost, CardState.Lost), (kiosk.CardState, payments.CardState));
        Assert.Equal((Outcome.Declined, DeclineReason.CardLost), (twice.Outcome, twice.DeclineReason));
        Assert.Equal("2 test-kiosk", await Database.ScalarAsync<string>($"SELECT caller_role || ' ' || caller FROM transactions WHERE id = {kiosk.TransactionId}"));
    }

    [Fact]
    public async Task The_office_cancels_a_loss_and_the_card_pays_again()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await ReportLossAsync(CardOf(account));

        var cancelled = await CallAsync(Cards.CancelLossAsync, new CancelLossRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        var again = await CallAsync(Cards.CancelLossAsync, new CancelLossRequest { RequestId = NextId(), PersonNo = account.PersonNo });

        Assert.Equal((Outcome.Approved, CardState.Active), (cancelled.Outcome, cancelled.CardState));
        Assert.Equal(DeclineReason.NotLost, again.DeclineReason);
        Assert.Equal(Outcome.Approved, (await DebitAsync(Debit(account, merchant, 100))).Outcome);
    }

    [Fact]
    public async Task Self_service_cancel_loss_is_declined_while_the_pin_is_the_default_and_works_once_it_was_changed()
    {
        var account = await OpenAccountAsync();
        await ReportLossAsync(CardOf(account));

        var refused = await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, DefaultPin));
        await CallAsync(Cards.CancelLossAsync, new CancelLossRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        var changed = await CallAsync(Kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId(), CardNo = account.CardNo, OldPin = DefaultPin, NewPin = "654321" });
        await ReportLossAsync(CardOf(account));
        var wrongId = await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, "654321", "110101199001011234"));
        var wrongPin = await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, "111111"));
        var found = await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, "654321"));

        Assert.Equal((Outcome.Declined, DeclineReason.DefaultPin, CardState.Lost), (refused.Outcome, refused.DeclineReason, refused.CardState));
        Assert.Equal(Outcome.Approved, changed.Outcome);
        Assert.Equal(DeclineReason.WrongIdNumber, wrongId.DeclineReason);
        Assert.Equal(DeclineReason.WrongPin, wrongPin.DeclineReason);
        Assert.Equal((Outcome.Approved, CardState.Active), (found.Outcome, found.CardState));
    }

    [Fact]
    public async Task Wrong_id_numbers_at_the_kiosk_count_with_wrong_pins_and_lock_the_pin()
    {
        var account = await OpenAccountAsync();
        await CallAsync(Kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId(), CardNo = account.CardNo, OldPin = DefaultPin, NewPin = "654321" });
        await ReportLossAsync(CardOf(account));

        var wrong = new List<DeclineReason>();
        for (var i = 0; i < 3; i++) wrong.Add((await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, "654321", "110101199001011234"))).DeclineReason);
        for (var i = 0; i < 2; i++) wrong.Add((await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, "111111"))).DeclineReason);
        var locked = await CallAsync(Kiosk.CancelLossAsync, KioskCancelLoss(account, "654321"));
        var status = (await AccountAsync(account)).Status;

        Assert.Equal([DeclineReason.WrongIdNumber, DeclineReason.WrongIdNumber, DeclineReason.WrongIdNumber, DeclineReason.WrongPin, DeclineReason.WrongPin], wrong);
        Assert.Equal((DeclineReason.PinLocked, CardState.Lost), (locked.DeclineReason, locked.CardState));
        Assert.True(status.PinLocked);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_replaced_card_is_dead_at_once_and_the_new_one_carries_the_balance_less_the_fee()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        await ReportLossAsync(CardOf(account));

        var replaced = await ReplaceAsync(account, ReplaceReason.Lost, cardNo: "800000000099");
        var oldCard = await DebitAsync(Debit(account, merchant, 100));
        var newCard = await DebitAsync(Debit(account, merchant, 100).With(d => d.CardNo = "800000000099"));

        Assert.Equal((Outcome.Approved, "800000000099", CardState.Active, 2_000L, 3_000L),
            (replaced.Outcome, replaced.CardNo, replaced.CardState, replaced.AmountFen, replaced.Balances.PurseFen));
        Assert.Equal(DeclineReason.CardReplaced, oldCard.DeclineReason);
        Assert.Equal((Outcome.Approved, 2_900L), (newCard.Outcome, newCard.BalanceFen));
        Assert.Equal("800000000099", (await AccountAsync(account)).CardNo);
        Assert.Equal(2_000L, await Database.ScalarAsync<long>("SELECT balance_fen::bigint FROM account_balances WHERE kind = 5 AND owner = 3"));
        await AssertStatusAsync(StatusCode.NotFound, () => CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo }));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_replacement_made_without_a_card_number_gets_one_and_its_retry_the_same()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var request = new ReplaceCardRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = ReplaceReason.Damaged, VisibleDamage = true };

        var first = await CallAsync(Cards.ReplaceCardAsync, request);
        var retry = await CallAsync(Cards.ReplaceCardAsync, request);

        Assert.Equal(first, retry);
        Assert.Equal(12, first.CardNo.Length);
        Assert.NotEqual(account.CardNo, first.CardNo);
        Assert.Equal(3_000L, retry.Balances.PurseFen);
    }

    [Fact]
    public async Task A_replacement_that_costs_a_fee_needs_the_minimum_on_the_purse_and_a_declined_one_names_no_card()
    {
        var account = await OpenFundedAccountAsync(1_999);

        var declined = await ReplaceAsync(account, ReplaceReason.Lost, cardNo: "800000000077");

        Assert.Equal((Outcome.Declined, DeclineReason.BalanceTooLow, ""), (declined.Outcome, declined.DeclineReason, declined.CardNo));
        Assert.Equal(account.CardNo, (await AccountAsync(account)).CardNo);
        Assert.Equal(DeclineReason.UnknownCard, (await CallAsync(Kiosk.ClaimPendingAsync, new ClaimPendingRequest { RequestId = NextId(), CardNo = "800000000077" })).DeclineReason);
    }

    [Fact]
    public async Task A_report_of_loss_for_a_replaced_card_answers_that_cards_state_not_the_live_cards()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var replaced = await ReplaceAsync(account, ReplaceReason.Damaged, visibleDamage: true);

        var dead = await ReportLossAsync(CardOf(account));
        var live = (await AccountAsync(account)).Status;

        Assert.Equal(Outcome.Approved, replaced.Outcome);
        Assert.Equal((Outcome.Declined, DeclineReason.CardReplaced, CardState.Replaced, account.CardNo), (dead.Outcome, dead.DeclineReason, dead.CardState, dead.CardNo));
        Assert.Equal(CardState.Active, live.State);
    }

    [Fact]
    public async Task A_chip_failure_without_damage_is_replaced_free_within_a_year_of_issue_and_for_the_fee_after()
    {
        var account = await OpenFundedAccountAsync(10_000);

        var free = await ReplaceAsync(account, ReplaceReason.ChipFailure);
        var damaged = await ReplaceAsync(account, ReplaceReason.ChipFailure, visibleDamage: true);
        Clock.Set(Clock.GetUtcNow().AddDays(366));
        var late = await ReplaceAsync(account, ReplaceReason.ChipFailure);

        Assert.Equal((Outcome.Approved, 0L), (free.Outcome, free.AmountFen));
        Assert.Equal((Outcome.Approved, 2_000L), (damaged.Outcome, damaged.AmountFen));
        Assert.Equal((Outcome.Approved, 2_000L, 6_000L), (late.Outcome, late.AmountFen, late.Balances.PurseFen));
    }

    [Fact]
    public async Task A_frozen_card_is_declined_until_it_is_unfrozen()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var frozen = await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), CardNo = account.CardNo, Reason = FreezeReason.Inactive });

        var declined = await DebitAsync(Debit(account, merchant, 100));
        var status = (await AccountAsync(account)).Status;
        await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        var approved = await DebitAsync(Debit(account, merchant, 100));

        Assert.Equal(CardState.Frozen, frozen.CardState);
        Assert.Equal(DeclineReason.CardFrozen, declined.DeclineReason);
        Assert.Equal((CardState.Frozen, FreezeReason.Inactive), (status.State, status.FreezeReason));
        Assert.Equal(Outcome.Approved, approved.Outcome);
        await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo }));
    }

    [Fact]
    public async Task A_card_frozen_for_two_reasons_stays_frozen_until_both_lift_each_on_its_own()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.InfoChanged });

        var second = await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Admin });
        var twice = await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Admin });
        var both = (await AccountAsync(account)).Status;
        var bothInSql = await Database.ScalarAsync<string>(
            $"SELECT state || ' ' || freeze_reason || ' ' || freeze_reasons FROM cardholder_states WHERE person_no = '{account.PersonNo}'");
        var notFor = await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Expired });
        var adminLifted = await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Admin });
        var stillFrozen = await DebitAsync(Debit(account, merchant, 100));
        var infoLifted = await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.InfoChanged });
        var approved = await DebitAsync(Debit(account, merchant, 100));

        Assert.Equal((Outcome.Approved, CardState.Frozen), (second.Outcome, second.CardState));
        Assert.Equal(DeclineReason.CardFrozen, twice.DeclineReason);
        Assert.Equal([FreezeReason.InfoChanged, FreezeReason.Admin], both.FreezeReasons);
        Assert.Equal(FreezeReason.InfoChanged, both.FreezeReason);
        Assert.Equal("frozen info_changed info_changed, admin", bothInSql);
        Assert.Equal(DeclineReason.NotFrozenForReason, notFor.DeclineReason);
        Assert.Equal((Outcome.Approved, CardState.Frozen), (adminLifted.Outcome, adminLifted.CardState));
        Assert.Equal(DeclineReason.CardFrozen, stillFrozen.DeclineReason);
        Assert.Equal((Outcome.Approved, CardState.Active), (infoLifted.Outcome, infoLifted.CardState));
        Assert.Equal(Outcome.Approved, approved.Outcome);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_frozen_card_moves_no_money_out_of_its_purse_by_any_call()
    {
        var account = await OpenFundedAccountAsync(10_000);
        await CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, new TransferRequest
        {
            RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 1_000, Direction = TransferDirection.PurseToWallet,
        });
        var merchant = await OpenMerchantAsync();
        await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Admin });

        var toWallet = await CallAsync(FundingAs(Domain.CallerRole.Payments).TransferAsync, new TransferRequest
        {
            RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 100, Direction = TransferDirection.PurseToWallet,
        });
        var debit = await DebitAsync(Debit(account, merchant, 100));
        var hold = await CallAsync(Terminal.HoldAsync, new HoldRequest { RequestId = NextId(), CardNo = account.CardNo, MaxFen = 100, TtlSeconds = 600 });
        var replacement = await ReplaceAsync(account, ReplaceReason.Lost);
        var toPurse = await CallAsync(FundingAs(Domain.CallerRole.Payments).TransferAsync, new TransferRequest
        {
            RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 100, Direction = TransferDirection.WalletToPurse,
        });

        Assert.Equal(DeclineReason.CardFrozen, toWallet.DeclineReason);
        Assert.Equal(DeclineReason.CardFrozen, debit.DeclineReason);
        Assert.Equal(DeclineReason.CardFrozen, hold.DeclineReason);
        Assert.Equal(DeclineReason.CardFrozen, replacement.DeclineReason);
        Assert.Equal((Outcome.Approved, 9_100L), (toPurse.Outcome, toPurse.Balances.PurseFen));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task An_unfreeze_approved_for_the_kiosk_is_finished_by_a_rewrite_there()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var early = await CallAsync(Kiosk.RewriteCardAsync, new RewriteCardRequest { RequestId = NextId(), CardNo = account.CardNo });
        await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.InfoChanged });
        var unapproved = await CallAsync(Kiosk.RewriteCardAsync, new RewriteCardRequest { RequestId = NextId(), CardNo = account.CardNo });

        var approved = await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, AtKiosk = true });
        var stillFrozen = await DebitAsync(Debit(account, merchant, 100));
        var rewritten = await CallAsync(Kiosk.RewriteCardAsync, new RewriteCardRequest { RequestId = NextId(), CardNo = account.CardNo });

        Assert.Equal(DeclineReason.NotFrozen, early.DeclineReason);
        Assert.Equal(DeclineReason.RewriteNotApproved, unapproved.DeclineReason);
        Assert.Equal((Outcome.Approved, CardState.Frozen), (approved.Outcome, approved.CardState));
        Assert.Equal(DeclineReason.CardFrozen, stillFrozen.DeclineReason);
        Assert.Equal((Outcome.Approved, CardState.Active), (rewritten.Outcome, rewritten.CardState));
    }

    [Fact]
    public async Task Closing_refunds_the_purse_kills_the_card_and_the_account_is_never_reopened()
    {
        var account = await OpenFundedAccountAsync(1_234);
        var merchant = await OpenMerchantAsync();
        await CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, new TransferRequest
        {
            RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 34, Direction = TransferDirection.PurseToWallet,
        });
        var withWallet = await CloseAsync(account);
        await CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, new TransferRequest
        {
            RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 34, Direction = TransferDirection.WalletToPurse,
        });

        var closed = await CloseAsync(account);
        var debit = await DebitAsync(Debit(account, merchant, 1));
        var topUp = await CreditAsync(account.PersonNo, 100);
        var reopen = await AssertStatusAsync(StatusCode.FailedPrecondition, () => OpenAccountAsync(account.PersonNo));

        Assert.Equal(DeclineReason.BalanceElsewhere, withWallet.DeclineReason);
        Assert.Equal((Outcome.Approved, CardState.Closed, 1_234L, 0L), (closed.Outcome, closed.CardState, closed.AmountFen, closed.Balances.PurseFen));
        Assert.Equal(DeclineReason.CardClosed, debit.DeclineReason);
        Assert.Equal(DeclineReason.AccountClosed, topUp.DeclineReason);
        Assert.Contains("never reopened", reopen.Status.Detail);
        Assert.Equal(1_234L, await Database.ScalarAsync<long>("SELECT balance_fen::bigint FROM account_balances WHERE kind = 5 AND owner = 4"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_temporary_card_has_the_e_purse_only()
    {
        var account = await CallAsync(Cards.OpenAccountAsync, new OpenAccountRequest { PersonNo = "T-1", Name = "临时", CardType = CardType.Temporary, IdNumber = IdNumber });
        await CreditAsync(account.PersonNo, 1_000);

        var transfer = await CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, new TransferRequest
        {
            RequestId = NextId(), PersonNo = account.PersonNo, AmountFen = 100, Direction = TransferDirection.PurseToWallet,
        });

        Assert.Equal(DeclineReason.NotForCardType, transfer.DeclineReason);
        Assert.Equal((5_000L, 20_000L), (account.Status.SingleLimitFen, account.Status.DailyLimitFen));
    }

    [Fact]
    public async Task A_retried_change_gets_its_first_answer_and_one_with_other_content_changes_nothing()
    {
        var account = await OpenAccountAsync();
        var request = new FreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = FreezeReason.Admin };

        var first = await CallAsync(Cards.FreezeAsync, request);
        await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        var retry = await CallAsync(Cards.FreezeAsync, request);
        var reused = await AssertStatusAsync(StatusCode.FailedPrecondition, () => CallAsync(Cards.FreezeAsync, request.With(r => r.Reason = FreezeReason.System)));

        Assert.Equal(first, retry);
        Assert.Equal(CardState.Active, (await AccountAsync(account)).Status.State);
        Assert.Contains("already used", reused.Status.Detail);
    }

    [Fact]
    public async Task Card_states_are_rebuilt_from_the_journal_after_redis_loses_them()
    {
        var lost = await OpenAccountAsync();
        var frozen = await OpenAccountAsync();
        var replaced = await OpenFundedAccountAsync(5_000);
        await ReportLossAsync(CardOf(lost));
        await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = NextId(), PersonNo = frozen.PersonNo, Reason = FreezeReason.Expired });
        var replacement = await ReplaceAsync(replaced, ReplaceReason.Lost);
        var before = await Task.WhenAll(new[] { lost, frozen, replaced }.Select(AccountAsync));

        await LocalServers.DeleteKeysAsync(Prefix);
        var after = await RetryWhileUnavailableAsync(() => Task.WhenAll(new[] { lost, frozen, replaced }.Select(AccountAsync)));

        Assert.Equal(before, after);
        Assert.Equal(replacement.CardNo, after[2].CardNo);
        await AssertInvariantsAsync();
    }

    private static string CardOf(Account account) => account.CardNo;

    private KioskCancelLossRequest KioskCancelLoss(Account account, string pin, string idNumber = IdNumber) =>
        new() { RequestId = NextId(), PersonNo = account.PersonNo, Pin = pin, IdNumber = idNumber };

    private Task<CardReply> ReportLossAsync(string cardNo) =>
        CallAsync(Cards.ReportLossAsync, new ReportLossRequest { RequestId = NextId(), CardNo = cardNo });

    private Task<CardReply> ReplaceAsync(Account account, ReplaceReason reason, bool visibleDamage = false, string cardNo = "") =>
        CallAsync(Cards.ReplaceCardAsync, new ReplaceCardRequest { RequestId = NextId(), PersonNo = account.PersonNo, Reason = reason, VisibleDamage = visibleDamage, CardNo = cardNo });

    private Task<CardReply> CloseAsync(Account account) =>
        CallAsync(Cards.CloseAccountAsync, new CloseAccountRequest { RequestId = NextId(), PersonNo = account.PersonNo });

    private Task<Account> AccountAsync(Account account) => CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });
}
