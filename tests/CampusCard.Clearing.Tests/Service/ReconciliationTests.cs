using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>对账: the hot state against the journal, and the bank's daily file against the journal's top-ups; reported, never fixed.</summary>
[Trait("Suite", "Cluster")]
public class ReconciliationTests : ServiceTestBase
{
    private Finance.FinanceClient Finance => new(As(Domain.CallerRole.Finance));

    [Fact]
    public async Task A_hot_state_that_agrees_with_the_journal_has_no_differences()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        await DebitAsync(Debit(account, merchant, 700));
        await SetCardStateAsync(account, Domain.CardState.Frozen);

        var report = await CallAsync(Finance.CheckHotStateAsync, new CheckHotStateRequest());

        Assert.Equal(1L, report.Holders);
        Assert.Empty(report.Differences);
        Assert.True(report.JournaledThrough > 0);
    }

    [Fact]
    public async Task Planted_differences_of_a_balance_and_a_card_state_are_reported_and_left_alone()
    {
        var (a, b) = (await OpenFundedAccountAsync(5_000), await OpenFundedAccountAsync(3_000));
        await ChangeHotStateAsync(a, h => h with { Balances = h.Balances with { PurseFen = 5_100 } });
        await ChangeHotStateAsync(b, h => h with { Freeze = Domain.FreezeReasons.Of(Domain.FreezeReason.Admin) });

        var report = await CallAsync(Finance.CheckHotStateAsync, new CheckHotStateRequest());

        Assert.Equal($"{a.PersonNo} purse_fen 5100 5000, {b.PersonNo} state",
            string.Join(", ", report.Differences.OrderBy(d => d.PersonNo).Select(d => d.Field == "state" ? $"{d.PersonNo} state" : $"{d.PersonNo} {d.Field} {d.Hot} {d.Journal}")));
        Assert.Contains("Frozen", report.Differences.Single(d => d.Field == "state").Hot);
        Assert.Equal(5_100L, await PurseAsync(a));
    }

    [Fact]
    public async Task The_banks_file_is_matched_against_the_journals_top_ups_of_the_day()
    {
        var (a, b) = (await OpenAccountAsync(), await OpenAccountAsync());
        var bank = FundingAs(Domain.CallerRole.Bank);
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-1", PersonNo = a.PersonNo, AmountFen = 5_000 });
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-2", PersonNo = b.PersonNo, AmountFen = 3_000 });
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-3", PersonNo = a.PersonNo, AmountFen = 2_000 });
        await CallAsync(bank.TopUpWalletAsync, new TopUpWalletRequest { RequestId = "BR-4", PersonNo = b.PersonNo, AmountFen = 1_000 });
        var csv = $"date,reference,person_no,amount_fen\n2026-09-01,BR-1,{a.PersonNo},5000\n2026-09-01,BR-2,{b.PersonNo},3500\n2026-09-01,BR-9,{a.PersonNo},100\n";

        var r = await CallAsync(Finance.ReconcileBankFileAsync, new ReconcileBankFileRequest { BusinessDate = "2026-09-01", Csv = csv });

        Assert.Equal((1L, 5_000L), (r.Matched, r.MatchedFen));
        Assert.Equal("BR-9 100", string.Join(", ", r.MissingOnOurSide.Select(l => $"{l.Reference} {l.AmountFen}")));
        Assert.Equal("BR-3 2000, BR-4 1000", string.Join(", ", r.MissingOnBankSide.Select(l => $"{l.Reference} {l.JournalFen}")));
        Assert.Equal("BR-2 3500 3000", string.Join(", ", r.AmountDiffers.Select(l => $"{l.Reference} {l.AmountFen} {l.JournalFen}")));
    }

    [Fact]
    public async Task The_banks_file_sent_as_it_came_is_decoded_by_the_service_in_the_encoding_the_request_or_the_setting_names()
    {
        var account = await OpenAccountAsync();
        await CallAsync(FundingAs(Domain.CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-1", PersonNo = account.PersonNo, AmountFen = 5_000 });
        var gbk = ByteString.CopyFrom(ChineseWindows.Gbk.GetBytes($"交易日期,流水号,学号,金额\r\n2026-09-01,BR-1,{account.PersonNo},5000\r\n"));

        var detected = await CallAsync(Finance.ReconcileBankFileAsync, new ReconcileBankFileRequest { BusinessDate = "2026-09-01", File = gbk });
        var named = await CallAsync(Finance.ReconcileBankFileAsync, new ReconcileBankFileRequest { BusinessDate = "2026-09-01", File = gbk, Encoding = "GBK" });
        var wrong = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Finance.ReconcileBankFileAsync,
            new ReconcileBankFileRequest { BusinessDate = "2026-09-01", File = gbk, Encoding = "utf-8" }));
        var unknown = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Finance.ReconcileBankFileAsync,
            new ReconcileBankFileRequest { BusinessDate = "2026-09-01", File = gbk, Encoding = "big5" }));
        var empty = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Finance.ReconcileBankFileAsync,
            new ReconcileBankFileRequest { BusinessDate = "2026-09-01", File = ByteString.Empty }));

        Assert.Equal((1L, 5_000L, 1L, 5_000L), (detected.Matched, detected.MatchedFen, named.Matched, named.MatchedFen));
        Assert.StartsWith("line 1: the bytes", wrong.Status.Detail);
        Assert.EndsWith("are not utf-8", wrong.Status.Detail);
        Assert.Equal("encoding must be one of auto, utf-8, gb18030, gbk", unknown.Status.Detail);
        Assert.Equal("csv or file is required", empty.Status.Detail);
    }

    [Fact]
    public async Task A_malformed_bank_file_is_refused_naming_its_line()
    {
        var wrongDay = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Finance.ReconcileBankFileAsync,
            new ReconcileBankFileRequest { BusinessDate = "2026-09-01", Csv = "2026-09-02,BR-1,P1,100" }));
        var broken = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Finance.ReconcileBankFileAsync,
            new ReconcileBankFileRequest { BusinessDate = "2026-09-01", Csv = "2026-09-01,BR-1,P1,100\n2026-09-01,BR-2,P1\n" }));

        Assert.Contains("line 1", wrongDay.Status.Detail);
        Assert.Contains("line 2", broken.Status.Detail);
    }
}
