using CampusCard.Clearing.Contracts.V1;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Finance's campuscard commands (settlement, statement, bill) over a day of trade, run in process against the real service.</summary>
public sealed class FinanceCliTests : ServiceTestBase
{
    private Account _account = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _account = await OpenFundedAccountAsync(10_000);
        var canteen = await OpenMerchantAsync("CANTEEN-1");
        var shower = await OpenMerchantAsync("SHOWER-1", MerchantCategory.Bath);
        // 2026-09-01: dining 1,200 and 800 reversed, bath 300.
        await DebitAsync(Debit(_account, canteen, 1_200));
        await DebitAsync(Debit(_account, canteen, 800, "d-800"));
        await ReverseAsync(_account, "d-800");
        await DebitAsync(Debit(_account, shower, 300));
    }

    private async Task<Contracts.V1.Merchant> OpenMerchantAsync(string merchantId, MerchantCategory category)
    {
        var merchant = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = merchantId, Name = "一号浴室", Category = category });
        await CallAsync(Cards.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = TerminalIdOf(merchantId), MerchantId = merchantId });
        return merchant;
    }

    [Fact]
    public async Task A_settlement_run_after_the_cut_off_shows_each_merchants_takings_and_the_totals_and_a_second_run_finds_them_settled_before()
    {
        Clock.Advance(TimeSpan.FromHours(15));

        var run = await As(CallerRole.Finance, "settlement", "run", "--date", "2026-09-01");
        var again = await As(CallerRole.Office, "settlement", "run", "--date", "2026-09-01", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Settlement of 2026-09-01", run.Out);
        Assert.Matches(@"CANTEEN-1 +│ 二食堂 +│ +2 │ +¥20\.00 │ +1 \(¥8\.00\) │ +— │ +¥12\.00 │ +¥12\.00 │ no", run.Out);
        Assert.Matches(@"SHOWER-1 +│ 一号浴室 +│ +1 │ +¥3\.00 │ +— │ +— │ +¥3\.00 │ +¥3\.00 │ no", run.Out);
        Assert.Matches(@"total .*│ +¥15\.00 │ +¥15\.00 │", run.Out);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(("1500", "1500"), (again.Json.GetProperty("netFen").GetString(), again.Json.GetProperty("settledFen").GetString()));
        Assert.All(again.Json.GetProperty("merchants").EnumerateArray(), m => Assert.True(m.GetProperty("settledBefore").GetBoolean()));
    }

    [Fact]
    public async Task A_settlement_run_before_the_days_cut_off_exits_6_naming_the_cut_off()
    {
        var run = await As(CallerRole.Finance, "settlement", "run", "--date", "2026-09-01");
        var json = await As(CallerRole.Finance, "settlement", "run", "--date", "2026-09-01", "--json");

        Assert.Equal((6, ""), (run.ExitCode, run.Out));
        Assert.StartsWith("FAILED_PRECONDITION: business day 2026-09-01 is settled from 2026-09-02 02:00", run.Error);
        Assert.Equal("FAILED_PRECONDITION", json.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("6 FAILED_PRECONDITION", (await CliRun.RunAsync("--help")).Out);
    }

    [Fact]
    public async Task A_statement_lists_the_transactions_newest_first_with_signed_amounts_merchants_and_balances_after()
    {
        var run = await As(CallerRole.Office, "statement", "--person", _account.PersonNo);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Statement of {_account.PersonNo}", run.Out);
        Assert.Matches(@"2026-09-01 12:00:00 \+08 │ debit +│ +-¥3\.00 │ 一号浴室 +│ +¥85\.00 │ +¥0\.00 │ +¥0\.00 │ +¥0\.00 │", run.Out);
        Assert.Matches(@"│ reversal +│ +\+¥8\.00 │ 二食堂 +│ +¥88\.00 │", run.Out);
        var amounts = new[] { "-¥3.00", "+¥8.00", "-¥8.00", "-¥12.00", "+¥100.00" }.Select(a => run.Out.IndexOf(a, StringComparison.Ordinal)).ToList();
        Assert.Equal(amounts.Order(), amounts);
        Assert.DoesNotContain(-1, amounts);
        Assert.Contains("5 lines", run.Out);
    }

    [Fact]
    public async Task A_statement_page_points_to_the_next_one_and_all_follows_the_pages_to_the_end()
    {
        var page = await As(CallerRole.Office, "statement", "--card", _account.CardNo, "--page-size", "2");
        var all = await As(CallerRole.Office, "statement", "--card", _account.CardNo, "--page-size", "2", "--all", "--json");
        var pageJson = await As(CallerRole.Office, "statement", "--card", _account.CardNo, "--page-size", "2", "--json");
        var next = await As(CallerRole.Office, "statement", "--card", _account.CardNo, "--page-size", "2", "--json",
            "--page-token", pageJson.Json.GetProperty("nextPageToken").GetString()!);

        Assert.True(page.ExitCode == 0, page.ToString());
        Assert.Contains("2 lines; more: --page-token ", page.Out);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal("", all.Json.GetProperty("nextPageToken").GetString());
        Assert.Equal(["debit -300", "reversal 800", "debit -800", "debit -1200", "credit 10000"],
            all.Json.GetProperty("lines").EnumerateArray().Select(l => $"{l.GetProperty("kind").GetString()} {l.GetProperty("amountFen").GetString()}"));
        Assert.Equal(["debit -800", "debit -1200"],
            next.Json.GetProperty("lines").EnumerateArray().Select(l => $"{l.GetProperty("kind").GetString()} {l.GetProperty("amountFen").GetString()}"));
    }

    [Fact]
    public async Task A_statement_of_nobody_exits_3_and_one_of_a_bad_date_exits_2()
    {
        var nobody = await As(CallerRole.Office, "statement", "--person", "NOBODY");
        var badDate = await As(CallerRole.Office, "statement", "--person", _account.PersonNo, "--from", "09/01/2026", "--json");

        Assert.Equal(3, nobody.ExitCode);
        Assert.StartsWith("NOT_FOUND", nobody.Error);
        Assert.Equal(2, badDate.ExitCode);
        Assert.Equal("INVALID_ARGUMENT", badDate.Json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_monthly_bill_charts_the_spend_per_category_the_total_and_the_six_months()
    {
        var run = await As(CallerRole.Office, "bill", "--person", _account.PersonNo, "--month", "2026-09");
        var json = await As(CallerRole.Office, "bill", "--person", _account.PersonNo, "--month", "2026-09", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"我的账单 {_account.PersonNo} 2026-09", run.Out);
        Assert.Matches(@"餐饮 dining ¥12\.00 +█+", run.Out);
        Assert.Matches(@"浴室 bath ¥3\.00 +█+", run.Out);
        Assert.Matches(@"超市 supermarket ¥0\.00 +│", run.Out);
        Assert.Contains("total ¥15.00", run.Out);
        Assert.Matches(@"2026-04 ¥0\.00 +│", run.Out);
        Assert.Matches(@"2026-09 ¥15\.00 +█+", run.Out);
        Assert.Equal("1500", json.Json.GetProperty("totalFen").GetString());
        Assert.Equal(["MERCHANT_CATEGORY_DINING 1200", "MERCHANT_CATEGORY_BATH 300", "MERCHANT_CATEGORY_INTERNET 0", "MERCHANT_CATEGORY_LIBRARY 0", "MERCHANT_CATEGORY_SUPERMARKET 0", "MERCHANT_CATEGORY_OTHER 0"],
            json.Json.GetProperty("categories").EnumerateArray().Select(c => $"{c.GetProperty("category").GetString()} {c.GetProperty("amountFen").GetString()}"));
        Assert.Equal(6, json.Json.GetProperty("lastSixMonths").GetArrayLength());
    }

    [Fact]
    public async Task A_bill_of_a_month_that_is_not_one_exits_2()
    {
        var run = await As(CallerRole.Office, "bill", "--person", _account.PersonNo, "--month", "September");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("INVALID_ARGUMENT", run.Error);
    }

    [Fact]
    public async Task A_hot_state_check_exits_0_when_it_agrees_and_1_listing_a_planted_difference()
    {
        var clean = await As(CallerRole.Finance, "reconcile", "hot-state");
        await ChangeHotStateAsync(_account, h => h with { Balances = h.Balances with { PurseFen = h.Balances.PurseFen + 1 } });
        var planted = await As(CallerRole.Finance, "reconcile", "hot-state", "--json");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Equal(1, planted.ExitCode);
        var difference = planted.Json.GetProperty("differences")[0];
        Assert.Equal((_account.PersonNo, "purse_fen", "8501", "8500"), (difference.GetProperty("personNo").GetString(), difference.GetProperty("field").GetString(),
            difference.GetProperty("hot").GetString(), difference.GetProperty("journal").GetString()));
    }

    [Fact]
    public async Task A_bank_file_with_a_difference_exits_1_and_shows_each_kind_of_line()
    {
        await CallAsync(FundingAs(CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-1", PersonNo = _account.PersonNo, AmountFen = 5_000 });
        await CallAsync(FundingAs(CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-2", PersonNo = _account.PersonNo, AmountFen = 3_000 });
        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, $"date,reference,person_no,amount_fen\n2026-09-01,BR-1,{_account.PersonNo},5000\n2026-09-01,BR-9,{_account.PersonNo},100\n");

        var run = await As(CallerRole.Finance, "reconcile", "bank-file", csv, "--date", "2026-09-01");
        var json = await As(CallerRole.Finance, "reconcile", "bank-file", csv, "--date", "2026-09-01", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("BR-9", run.Out);
        Assert.Contains("BR-2", run.Out);
        Assert.Equal(("1", "BR-9", "BR-2"), (json.Json.GetProperty("matched").GetString(), json.Json.GetProperty("missingOnOurSide")[0].GetProperty("reference").GetString(),
            json.Json.GetProperty("missingOnBankSide")[0].GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task A_bank_file_saved_in_GBK_is_sent_as_it_is_and_decoded_by_the_service_and_one_named_UTF8_is_refused_naming_the_line()
    {
        await CallAsync(FundingAs(CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-1", PersonNo = _account.PersonNo, AmountFen = 5_000 });
        var csv = Path.GetTempFileName();
        await File.WriteAllBytesAsync(csv, ChineseWindows.Gbk.GetBytes($"交易日期,流水号,学号,金额(分)\r\n2026-09-01,BR-1,{_account.PersonNo},5000\r\n"));

        var detected = await As(CallerRole.Finance, "reconcile", "bank-file", csv, "--date", "2026-09-01", "--json");
        var named = await As(CallerRole.Finance, "reconcile", "bank-file", csv, "--date", "2026-09-01", "--encoding", "utf-8");

        Assert.True(detected.ExitCode == 0, detected.ToString());
        Assert.Equal(("1", "5000"), (detected.Json.GetProperty("matched").GetString(), detected.Json.GetProperty("matchedFen").GetString()));
        Assert.Equal(2, named.ExitCode);
        Assert.StartsWith("INVALID_ARGUMENT: line 1: the bytes", named.Error);
        Assert.Contains("are not utf-8", named.Error);
    }

    private Task<CliRun> As(CallerRole role, params string[] args) => CliRun.RunAsync([.. args, "--address", Address, "--token", TestCredentials.Token(role)]);
}
