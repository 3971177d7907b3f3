using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The e-payment platform 电子支付平台 (handbook ch. 6, 7): the payment password, payments to payees, refunds.</summary>
public class PaymentTests : ServiceTestBase
{
    private const string Password = "246813";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Cards:PaymentPasswordAttempts", "3")];

    private Payments.PaymentsClient Platform => new(As(Domain.CallerRole.Payments));

    private Task<PaymentReply> SetPasswordAsync(Account account, string password, string pin = "", string oldPassword = "") =>
        CallAsync(Platform.SetPasswordAsync, new SetPaymentPasswordRequest { RequestId = NextId("pw"), PersonNo = account.PersonNo, Password = password, Pin = pin, OldPassword = oldPassword });

    private Task<PaymentReply> PayAsync(Account account, Contracts.V1.Merchant payee, long amountFen, PaymentSource source, string password = Password, string? requestId = null) =>
        CallAsync(Platform.PayAsync, new PayRequest
        {
            RequestId = requestId ?? NextId("pay"), PersonNo = account.PersonNo, PayeeMerchantId = payee.MerchantId, AmountFen = amountFen, Source = source, Password = password,
        });

    private Task<PaymentReply> RefundAsync(Account account, Contracts.V1.Merchant payee, string paymentId, long amountFen) =>
        CallAsync(Platform.RefundAsync, new RefundRequest
        {
            RequestId = NextId("refund"), PersonNo = account.PersonNo, PaymentRequestId = paymentId, PayeeMerchantId = payee.MerchantId, AmountFen = amountFen,
        });

    private Task<Contracts.V1.Merchant> OpenPayeeAsync(MerchantCategory category = MerchantCategory.Electricity) =>
        CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = NextId("PAYEE"), Name = "电费", Category = category });

    private async Task<Account> OpenWalletAccountAsync(long walletFen)
    {
        var account = await OpenFundedAccountAsync(10_000);
        var top = await CallAsync(FundingAs(Domain.CallerRole.Bank).TopUpWalletAsync, new TopUpWalletRequest { RequestId = NextId("w"), PersonNo = account.PersonNo, AmountFen = walletFen });
        Assert.Equal(walletFen, top.Balances.WalletFen);
        Assert.Equal(Outcome.Approved, (await SetPasswordAsync(account, Password, pin: DefaultPin)).Outcome);
        return account;
    }

    [Fact]
    public async Task The_bank_tops_up_the_e_wallet_one_way()
    {
        var account = await OpenFundedAccountAsync(1_000);

        var top = await CallAsync(FundingAs(Domain.CallerRole.Bank).TopUpWalletAsync, new TopUpWalletRequest { RequestId = NextId("w"), PersonNo = account.PersonNo, AmountFen = 3_000 });

        Assert.Equal(new Balances { PurseFen = 1_000, WalletFen = 3_000 }, top.Balances);
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 21 AND from_kind = 5 AND from_owner = 1 AND to_kind = 2"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_payment_needs_the_payment_password_set_first_and_it_must_differ_from_the_card_pin()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var payee = await OpenPayeeAsync();

        var before = await PayAsync(account, payee, 100, PaymentSource.Purse);
        var samePin = await AssertRefusedAsync(StatusCode.FailedPrecondition, Domain.ErrorReason.SecretsMustDiffer, () => SetPasswordAsync(account, DefaultPin, pin: DefaultPin));
        var wrongPin = await SetPasswordAsync(account, Password, pin: "999999");
        var set = await SetPasswordAsync(account, Password, pin: DefaultPin);
        var paid = await PayAsync(account, payee, 100, PaymentSource.Purse);

        Assert.Equal(DeclineReason.PaymentPasswordRequired, before.DeclineReason);
        Assert.Contains("must differ (art. 18)", samePin.Status.Detail);
        Assert.Equal(DeclineReason.WrongPin, wrongPin.DeclineReason);
        Assert.Equal(Outcome.Approved, set.Outcome);
        Assert.Equal((Outcome.Approved, 900L), (paid.Outcome, paid.Balances.PurseFen));
        Assert.Equal(0L, await Database.ScalarAsync<long>($"SELECT count(*) FROM secrets WHERE hash LIKE '%{Password}%'"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_password_is_changed_with_the_old_one_not_the_pin()
    {
        var account = await OpenWalletAccountAsync(1_000);
        var payee = await OpenPayeeAsync();

        var withPin = await AssertStatusAsync(StatusCode.InvalidArgument, () => SetPasswordAsync(account, "135799", pin: DefaultPin));
        var wrongOld = await SetPasswordAsync(account, "135799", oldPassword: "000000");
        var changed = await SetPasswordAsync(account, "135799", oldPassword: Password);

        Assert.Contains("old_password", withPin.Status.Detail);
        Assert.Equal(DeclineReason.WrongPaymentPassword, wrongOld.DeclineReason);
        Assert.Equal(Outcome.Approved, changed.Outcome);
        Assert.Equal(DeclineReason.WrongPaymentPassword, (await PayAsync(account, payee, 100, PaymentSource.Wallet)).DeclineReason);
        Assert.Equal(Outcome.Approved, (await PayAsync(account, payee, 100, PaymentSource.Wallet, password: "135799")).Outcome);
    }

    [Fact]
    public async Task Wrong_payment_passwords_in_a_row_lock_it()
    {
        var account = await OpenWalletAccountAsync(1_000);
        var payee = await OpenPayeeAsync();

        var wrong = new List<DeclineReason>();
        for (var i = 0; i < 3; i++) wrong.Add((await PayAsync(account, payee, 100, PaymentSource.Wallet, password: "000000")).DeclineReason);
        var locked = await PayAsync(account, payee, 100, PaymentSource.Wallet);
        var status = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });

        Assert.All(wrong, r => Assert.Equal(DeclineReason.WrongPaymentPassword, r));
        Assert.Equal(DeclineReason.PaymentPasswordLocked, locked.DeclineReason);
        Assert.True(status.Status.PaymentPasswordLocked);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_locked_payment_password_is_reset_by_the_card_office_and_set_again_with_the_card_pin()
    {
        var account = await OpenWalletAccountAsync(1_000);
        var payee = await OpenPayeeAsync();
        for (var i = 0; i < 3; i++) await PayAsync(account, payee, 100, PaymentSource.Wallet, password: "000000");

        var lockedEvenWithOld = await SetPasswordAsync(account, "135799", oldPassword: Password);
        var reset = await CallAsync(Cards.ResetPaymentPasswordAsync, new ResetPaymentPasswordRequest { RequestId = NextId("reset"), PersonNo = account.PersonNo });
        var status = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });
        var oldNoLongerPays = await PayAsync(account, payee, 100, PaymentSource.Wallet);
        var setWithPin = await SetPasswordAsync(account, "135799", pin: DefaultPin);
        var paid = await PayAsync(account, payee, 100, PaymentSource.Wallet, password: "135799");

        Assert.Equal(DeclineReason.PaymentPasswordLocked, lockedEvenWithOld.DeclineReason);
        Assert.Equal(Outcome.Approved, reset.Outcome);
        Assert.Equal((false, false), (status.Status.PaymentPasswordSet, status.Status.PaymentPasswordLocked));
        Assert.Equal(DeclineReason.PaymentPasswordRequired, oldNoLongerPays.DeclineReason);
        Assert.Equal(Outcome.Approved, setWithPin.Outcome);
        Assert.Equal((Outcome.Approved, 900L), (paid.Outcome, paid.Balances.WalletFen));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task The_card_pin_may_not_be_changed_to_the_payment_password()
    {
        var account = await OpenWalletAccountAsync(1_000);
        var kiosk = new Kiosk.KioskClient(As(Domain.CallerRole.Kiosk));

        var refused = await AssertRefusedAsync(StatusCode.FailedPrecondition, Domain.ErrorReason.SecretsMustDiffer,
            () => CallAsync(kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId("pin"), CardNo = account.CardNo, OldPin = DefaultPin, NewPin = Password }));
        var wrongOldFirst = await CallAsync(kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId("pin"), CardNo = account.CardNo, OldPin = "999999", NewPin = Password });
        var other = await CallAsync(kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId("pin"), CardNo = account.CardNo, OldPin = DefaultPin, NewPin = "975310" });

        Assert.Contains("must differ", refused.Status.Detail);
        Assert.Equal(DeclineReason.WrongPin, wrongOldFirst.DeclineReason);
        Assert.Equal(Outcome.Approved, other.Outcome);
    }

    [Fact]
    public async Task A_payee_is_paid_from_the_wallet_or_the_purse_and_only_payees_are()
    {
        var account = await OpenWalletAccountAsync(2_000);
        var (network, canteen) = (await OpenPayeeAsync(MerchantCategory.NetworkFee), await OpenMerchantAsync());

        var wallet = await PayAsync(account, network, 1_500, PaymentSource.Wallet);
        var tooMuch = await PayAsync(account, network, 600, PaymentSource.Wallet);
        var purse = await PayAsync(account, network, 600, PaymentSource.Purse);
        var notPayee = await PayAsync(account, canteen, 100, PaymentSource.Purse);

        Assert.Equal(new Balances { PurseFen = 10_000, WalletFen = 500 }, wallet.Balances);
        Assert.Equal(DeclineReason.InsufficientFunds, tooMuch.DeclineReason);
        Assert.Equal(new Balances { PurseFen = 9_400, WalletFen = 500 }, purse.Balances);
        Assert.Equal(DeclineReason.NotAPayee, notPayee.DeclineReason);
        Assert.Equal(2_100L, await Database.ScalarAsync<long>($"SELECT sum(amount_fen)::bigint FROM postings WHERE account_kind = 4 AND account_owner = (SELECT no FROM merchants WHERE merchant_id = '{network.MerchantId}')"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_payee_refunds_at_most_what_was_paid_to_where_it_came_from()
    {
        var account = await OpenWalletAccountAsync(2_000);
        var (fines, other) = (await OpenPayeeAsync(MerchantCategory.LibraryFines), await OpenPayeeAsync());
        await PayAsync(account, fines, 1_000, PaymentSource.Wallet, requestId: "pay-fine");

        var part = await RefundAsync(account, fines, "pay-fine", 400);
        var tooMuch = await RefundAsync(account, fines, "pay-fine", 601);
        var byOther = await RefundAsync(account, other, "pay-fine", 100);
        var unknown = await RefundAsync(account, fines, "pay-none", 100);
        var rest = await RefundAsync(account, fines, "pay-fine", 600);

        Assert.Equal((Outcome.Approved, 1_400L), (part.Outcome, part.Balances.WalletFen));
        Assert.Equal(DeclineReason.OverRefund, tooMuch.DeclineReason);
        Assert.Equal(DeclineReason.OtherMerchant, byOther.DeclineReason);
        Assert.Equal(DeclineReason.UnknownPayment, unknown.DeclineReason);
        Assert.Equal((Outcome.Approved, 2_000L), (rest.Outcome, rest.Balances.WalletFen));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_payment_to_a_merchant_nobody_opened_is_not_found_and_changes_nothing()
    {
        var account = await OpenWalletAccountAsync(1_000);

        await AssertStatusAsync(StatusCode.NotFound, () => PayAsync(account, new Contracts.V1.Merchant { MerchantId = "NOBODY" }, 100, PaymentSource.Wallet));
        await AssertStatusAsync(StatusCode.InvalidArgument, () => PayAsync(account, new Contracts.V1.Merchant { MerchantId = "NOBODY" }, 100, PaymentSource.Unspecified));
    }
}
