using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>一密两限 (handbook Q&amp;A 1, 2): the card PIN, the single and the daily limit; invariant 7.</summary>
public class PinAndLimitTests : ServiceTestBase
{
    private Kiosk.KioskClient Kiosk => new(As(Domain.CallerRole.Kiosk));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Cards:Student:SingleLimitFen", "2000"),
        new("Cards:Student:DailyLimitFen", "5000"),
        new("Cards:PinAttempts", "3"),
    ];

    [Fact]
    public async Task A_debit_over_the_single_limit_needs_the_pin_and_is_approved_with_it()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();

        var atLimit = await DebitAsync(Debit(account, merchant, 2_000));
        var over = await DebitAsync(Debit(account, merchant, 2_001));
        var withPin = await DebitAsync(Debit(account, merchant, 2_001).With(d => d.Pin = DefaultPin));

        Assert.Equal(Outcome.Approved, atLimit.Outcome);
        Assert.Equal((Outcome.Declined, DeclineReason.PinRequired, 8_000L), (over.Outcome, over.DeclineReason, over.BalanceFen));
        Assert.Equal((Outcome.Approved, 5_999L), (withPin.Outcome, withPin.BalanceFen));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_debit_that_takes_the_day_past_its_limit_needs_the_pin_and_the_day_starts_again_at_midnight()
    {
        var account = await OpenFundedAccountAsync(20_000);
        var merchant = await OpenMerchantAsync();
        for (var i = 0; i < 5; i++) Assert.Equal(Outcome.Approved, (await DebitAsync(Debit(account, merchant, 1_000))).Outcome);
        var reversed = await DebitAsync(Debit(account, merchant, 100, "to-reverse").With(d => d.Pin = DefaultPin));

        var refund = await ReverseAsync(account, "to-reverse");
        var sixth = await DebitAsync(Debit(account, merchant, 100));
        var status = (await BalanceAsync(account)).Status;
        Clock.Set(Clock.GetUtcNow().AddDays(1).Date.AddHours(-8 + 0.1));
        var nextDay = await DebitAsync(Debit(account, merchant, 1_000));

        Assert.Equal(Outcome.Approved, reversed.Outcome);
        Assert.Equal(ReversalEffect.Refunded, refund.Effect);
        Assert.Equal(DeclineReason.PinRequired, sixth.DeclineReason);
        Assert.Equal((5_000L, 2_000L, 5_000L), (status.DaySpentFen, status.SingleLimitFen, status.DailyLimitFen));
        Assert.Equal(Outcome.Approved, nextDay.Outcome);
        Assert.Equal(1_000L, (await BalanceAsync(account)).Status.DaySpentFen);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Wrong_pins_in_a_row_lock_the_pin_until_the_office_resets_it()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        DebitRequest OverLimit(string pin) => Debit(account, merchant, 3_000).With(d => d.Pin = pin);

        var wrong = new List<DebitReply>();
        for (var i = 0; i < 3; i++) wrong.Add(await DebitAsync(OverLimit("000000")));
        var locked = await DebitAsync(OverLimit(DefaultPin));
        var small = await DebitAsync(Debit(account, merchant, 100));
        var lockedStatus = (await BalanceAsync(account)).Status;
        var reset = await CallAsync(Cards.ResetPinAsync, new ResetPinRequest { RequestId = NextId(), PersonNo = account.PersonNo });
        var afterReset = await DebitAsync(OverLimit(DefaultPin));

        Assert.All(wrong, r => Assert.Equal(DeclineReason.WrongPin, r.DeclineReason));
        Assert.Equal(DeclineReason.PinLocked, locked.DeclineReason);
        Assert.Equal(Outcome.Approved, small.Outcome);
        Assert.True(lockedStatus.PinLocked);
        Assert.Equal(Outcome.Approved, reset.Outcome);
        Assert.Equal(Outcome.Approved, afterReset.Outcome);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_right_pin_starts_the_count_of_wrong_ones_again()
    {
        var account = await OpenFundedAccountAsync(20_000);
        var merchant = await OpenMerchantAsync();

        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(DeclineReason.WrongPin, (await DebitAsync(Debit(account, merchant, 2_500).With(d => d.Pin = "999999"))).DeclineReason);
            Assert.Equal(DeclineReason.WrongPin, (await DebitAsync(Debit(account, merchant, 2_500).With(d => d.Pin = "999999"))).DeclineReason);
            Assert.Equal(Outcome.Approved, (await DebitAsync(Debit(account, merchant, 2_500).With(d => d.Pin = DefaultPin))).Outcome);
        }
    }

    [Fact]
    public async Task The_pin_is_changed_at_a_kiosk_with_the_old_one_and_never_stored_as_it_is()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();

        var wrongOld = await CallAsync(Kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId(), CardNo = account.CardNo, OldPin = "000000", NewPin = "246810" });
        var changed = await CallAsync(Kiosk.ChangePinAsync, new ChangePinRequest { RequestId = NextId(), CardNo = account.CardNo, OldPin = DefaultPin, NewPin = "246810" });
        var oldPin = await DebitAsync(Debit(account, merchant, 3_000).With(d => d.Pin = DefaultPin));
        var newPin = await DebitAsync(Debit(account, merchant, 3_000).With(d => d.Pin = "246810"));
        var badShape = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Kiosk.ChangePinAsync,
            new ChangePinRequest { RequestId = NextId(), CardNo = account.CardNo, OldPin = "246810", NewPin = "12ab" }));

        Assert.Equal(DeclineReason.WrongPin, wrongOld.DeclineReason);
        Assert.Equal(Outcome.Approved, changed.Outcome);
        Assert.False((await BalanceAsync(account)).Status.PinIsDefault);
        Assert.Equal(DeclineReason.WrongPin, oldPin.DeclineReason);
        Assert.Equal(Outcome.Approved, newPin.Outcome);
        Assert.Equal("new_pin must be 6 digits", badShape.Status.Detail);
        await AssertNoSecretStoredAsync("246810", DefaultPin);
    }

    [Fact]
    public async Task Limits_are_set_at_a_kiosk_with_the_pin()
    {
        var account = await OpenFundedAccountAsync(100_000);
        var merchant = await OpenMerchantAsync();

        var withoutRightPin = await CallAsync(Kiosk.SetLimitsAsync, new SetLimitsRequest { RequestId = NextId(), CardNo = account.CardNo, Pin = "000000", SingleLimitFen = 50_000, DailyLimitFen = 90_000 });
        var set = await CallAsync(Kiosk.SetLimitsAsync, new SetLimitsRequest { RequestId = NextId(), CardNo = account.CardNo, Pin = DefaultPin, SingleLimitFen = 50_000, DailyLimitFen = 90_000 });
        var big = await DebitAsync(Debit(account, merchant, 40_000));
        var invalid = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Kiosk.SetLimitsAsync,
            new SetLimitsRequest { RequestId = NextId(), CardNo = account.CardNo, Pin = DefaultPin, SingleLimitFen = 9_000, DailyLimitFen = 8_000 }));

        Assert.Equal(DeclineReason.WrongPin, withoutRightPin.DeclineReason);
        Assert.Equal(Outcome.Approved, set.Outcome);
        Assert.Equal(Outcome.Approved, big.Outcome);
        Assert.Equal((50_000L, 90_000L), ((await BalanceAsync(account)).Status.SingleLimitFen, (await BalanceAsync(account)).Status.DailyLimitFen));
        Assert.Contains("single_limit_fen may not exceed daily_limit_fen", invalid.Status.Detail);
    }

    [Fact]
    public async Task Day_spend_never_passes_the_daily_limit_without_a_verified_pin()
    {
        var account = await OpenFundedAccountAsync(1_000_000);
        var merchant = await OpenMerchantAsync();
        var random = new Random(7);

        for (var i = 0; i < 40; i++)
        {
            var pin = random.Next(4) switch { 0 => DefaultPin, 1 => "000000", _ => "" };
            await DebitAsync(Debit(account, merchant, random.Next(1, 2_500)).With(d => d.Pin = pin));
        }

        var unverifiedOverLimit = await Database.ScalarAsync<long>("""
            WITH spend AS (
                SELECT id, pin, moved_fen, sum(moved_fen) OVER (ORDER BY id) AS day_spent
                  FROM transactions WHERE kind = 1 AND outcome = 1)
            SELECT count(*) FROM spend WHERE (day_spent > 5000 OR moved_fen > 2000) AND pin <> 1
            """);
        Assert.Equal(0L, unverifiedOverLimit);
        await AssertInvariantsAsync();
    }

    private Task<GetBalanceReply> BalanceAsync(Account account) => CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo });

    /// <summary>No PIN is in a journal row, an idempotency record or a secret as it is.</summary>
    private async Task AssertNoSecretStoredAsync(params string[] pins)
    {
        var journal = await Database.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', request_id, card_no, memo, channel, caller, terminal_id, original_request_id), ' ') FROM transactions");
        var secrets = await Database.ScalarAsync<string>("SELECT string_agg(hash, ' ') FROM secrets");
        var redis = LocalServers.Redis.GetDatabase();
        var records = string.Concat(HotRecordKeys().Select(k => (string?)redis.StringGet(k)));
        foreach (var pin in pins)
        {
            Assert.DoesNotContain(pin, journal);
            Assert.DoesNotContain(pin, secrets);
            Assert.DoesNotContain(pin, records);
        }
    }
}
