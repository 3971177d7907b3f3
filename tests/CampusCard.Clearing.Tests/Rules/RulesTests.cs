using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Tests.Rules;

public class RulesTests
{
    [Fact]
    public void Every_kind_has_one_descriptor_and_one_decider()
    {
        var deciders = System.Text.RegularExpressions.Regex.Matches(Clearing.HotStore.Internal.Scripts.Library.Text, @"DECIDE\[KIND\.(\w+)\] =")
            .Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(Enum.GetValues<TransactionKind>(), Kinds.All.Select(d => d.Kind).Order());
        Assert.Equal(Enum.GetValues<TransactionKind>().Select(k => Clearing.HotStore.Internal.LuaPrelude.UpperSnake(k.ToString())).Order(), deciders.Order());
    }

    private static Decision Approved(long moved, long merchantNo = 0) =>
        new() { Outcome = Outcome.Approved, TransactionId = 1, HolderId = 7, MovedFen = moved, MerchantNo = merchantNo, DecidedAtMs = 0 };

    [Theory]
    [InlineData(TransactionKind.Debit)]
    [InlineData(TransactionKind.Reversal)]
    [InlineData(TransactionKind.QuotaTopUp)]
    [InlineData(TransactionKind.Credit)]
    [InlineData(TransactionKind.Transfer)]
    [InlineData(TransactionKind.ReplaceCard)]
    [InlineData(TransactionKind.CloseAccount)]
    public void Every_approved_kind_posts_two_lines_that_sum_to_zero(TransactionKind kind)
    {
        var request = new ClearingRequest
        {
            Kind = kind, RequestId = "r", Campus = Campuses.Default, CardNo = "C1", PersonNo = "P1", MerchantNo = 3, AmountFen = 500,
            Source = SystemAccount.Suspense, Direction = TransferDirection.WalletToPurse,
        };

        var postings = new JournalEntry(request, Approved(500, merchantNo: 3)).Legs!.Value.Postings;

        Assert.Equal(2, postings.Count);
        Assert.Equal(0, postings.Sum(p => p.AmountFen));
        Assert.NotEqual(postings[0].Account, postings[1].Account);
    }

    [Fact]
    public void A_debit_moves_money_from_the_purse_to_the_merchant()
    {
        var request = new ClearingRequest { Kind = TransactionKind.Debit, RequestId = "r", Campus = Campuses.Default, CardNo = "C1", MerchantNo = 3, AmountFen = 450 };

        var postings = new JournalEntry(request, Approved(450)).Legs!.Value.Postings;

        Assert.Contains(new Posting(AccountRef.Purse(7), -450), postings);
        Assert.Contains(new Posting(AccountRef.Merchant(3), 450), postings);
    }

    [Fact]
    public void A_decline_posts_nothing()
    {
        var request = new ClearingRequest { Kind = TransactionKind.Debit, RequestId = "r", Campus = Campuses.Default, CardNo = "C1", AmountFen = 450 };
        var declined = new Decision { Outcome = Outcome.Declined, Reason = DeclineReason.InsufficientFunds, TransactionId = 1, HolderId = 7, DecidedAtMs = 0 };

        Assert.Null(new JournalEntry(request, declined).Legs);
    }

    [Theory]
    [InlineData(0, "amount_fen must be greater than 0")]
    [InlineData(-5, "amount_fen must be greater than 0")]
    [InlineData(Validation.MaxAmountFen + 1, "amount_fen must be at most 10000000")]
    public void Amounts_out_of_range_are_invalid(long amount, string message) => Assert.Equal(message, Validation.Amount(amount)?.Message);

    [Theory]
    [InlineData("T0042-000123", null)]
    [InlineData("", "request_id is required")]
    [InlineData("a|b", "request_id 'a|b' may hold only letters, digits and - _ . :")]
    [InlineData("中文", "request_id '中文' may hold only letters, digits and - _ . :")]
    public void Request_ids_are_short_plain_identifiers(string id, string? message) => Assert.Equal(message, Validation.RequestId(id)?.Message);

    [Fact]
    public void Request_ids_longer_than_64_characters_are_invalid() =>
        Assert.Equal("request_id is longer than 64 characters", Validation.RequestId(new string('a', 65))?.Message);

    [Fact]
    public void A_fingerprint_changes_with_the_content()
    {
        var request = new ClearingRequest { Kind = TransactionKind.Debit, RequestId = "r", Campus = Campuses.Default, CardNo = "C1", AmountFen = 450, MerchantId = "M1" };
        var credit = new ClearingRequest { Kind = TransactionKind.Credit, RequestId = "r", Campus = Campuses.Default, PersonNo = "P1", AmountFen = 450, Source = SystemAccount.Suspense, Memo = "a" };

        Assert.Equal(request.Fingerprint, (request with { }).Fingerprint);
        Assert.NotEqual(request.Fingerprint, (request with { AmountFen = 451 }).Fingerprint);
        Assert.NotEqual(request.Fingerprint, (request with { MerchantId = "M2" }).Fingerprint);
        Assert.NotEqual(request.Fingerprint, (request with { CardNo = "C2" }).Fingerprint);
        Assert.NotEqual(credit.Fingerprint, (credit with { Memo = "b" }).Fingerprint);
        Assert.Equal(credit.Fingerprint, (credit with { Caller = new Caller(CallerRole.Office, "another desk") }).Fingerprint);
        Assert.InRange(request.Fingerprint, 0, (1L << 52) - 1);
    }

    [Theory]
    [InlineData("04:59", 5000, DeclineReason.OutsideServiceHours)]
    [InlineData("05:00", 5000, DeclineReason.None)]
    [InlineData("12:00", 1999, DeclineReason.AmountOutOfRange)]
    [InlineData("12:00", 20001, DeclineReason.AmountOutOfRange)]
    [InlineData("23:01", 5000, DeclineReason.OutsideServiceHours)]
    public void A_bank_top_up_keeps_to_its_channel_rules(string time, long amount, DeclineReason expected)
    {
        var bank = new ChannelRules { MinFen = 2000, MaxFen = 20000, OpensAt = new TimeOnly(5, 0), ClosesAt = new TimeOnly(22, 0) };

        Assert.Equal(expected, bank.Check(amount, TimeOnly.Parse(time)));
    }

    [Fact]
    public void The_business_day_turns_at_local_midnight()
    {
        var calendar = BusinessCalendar.ChinaStandardTime;
        var beforeMidnight = new DateTimeOffset(2026, 9, 1, 15, 59, 0, TimeSpan.Zero); // 23:59 in Beijing
        var afterMidnight = beforeMidnight.AddMinutes(2);

        Assert.Equal(calendar.DayNumber(beforeMidnight) + 1, calendar.DayNumber(afterMidnight));
    }
}
