using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Options;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// A service set up for a CCB- or BOC-like bank file (Finance:BankFile): the reference first, the payer's name, the person
/// number, a compact date, the amount in yuan, a memo; a header line always; GBK. The file is reconciled as it came, by
/// the CLI and by the RPC, and its bad amounts are refused naming their line.
/// </summary>
public class BankFileSettingsTests : ServiceTestBase
{
    private const string Header = "交易流水号,户名,学工号,交易日期,交易金额(元),摘要";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Finance:BankFile:Columns", "reference,skip,person_no,date,amount,skip"),
        new("Finance:BankFile:Amount", "yuan"),
        new("Finance:BankFile:DateFormat", "yyyyMMdd"),
        new("Finance:BankFile:Header", "yes"),
        new("Finance:BankFile:Encoding", "gbk"),
    ];

    private Finance.FinanceClient Finance => new(As(CallerRole.Finance));

    [Fact]
    public async Task The_banks_own_layout_in_yuan_is_reconciled_from_the_file_as_it_came()
    {
        var (a, b) = (await OpenAccountAsync(), await OpenAccountAsync());
        var bank = FundingAs(CallerRole.Bank);
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-1", PersonNo = a.PersonNo, AmountFen = 5_000 });
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "BR-2", PersonNo = b.PersonNo, AmountFen = 3_000 });
        await CallAsync(bank.TopUpWalletAsync, new TopUpWalletRequest { RequestId = "BR-3", PersonNo = b.PersonNo, AmountFen = 1_050 });
        var csv = Path.GetTempFileName();
        await File.WriteAllBytesAsync(csv, ChineseWindows.Gbk.GetBytes(
            $"{Header}\r\n" +
            $"BR-1,张三,{a.PersonNo},20260901,50.00,\"圈存, 一卡通\"\r\n" +
            $"BR-2,李四,{b.PersonNo},20260901,\"29.99\",圈存\r\n" +
            $"BR-3,李四,{b.PersonNo},20260901,10.5,电子账户\r\n" +
            $"BR-9,王五,{a.PersonNo},20260901,1,圈存\r\n"));

        var run = await CliRun.RunAsync("reconcile", "bank-file", csv, "--date", "2026-09-01", "--json", "--address", Address, "--token", TestCredentials.Token(CallerRole.Finance));

        Assert.True(run.ExitCode == 1, run.ToString());
        var json = run.Json;
        Assert.Equal(("2", "6050"), (json.GetProperty("matched").GetString(), json.GetProperty("matchedFen").GetString()));
        Assert.Equal(("BR-2", "2999", "3000"), (json.GetProperty("amountDiffers")[0].GetProperty("reference").GetString(),
            json.GetProperty("amountDiffers")[0].GetProperty("amountFen").GetString(), json.GetProperty("amountDiffers")[0].GetProperty("journalFen").GetString()));
        Assert.Equal(("BR-9", "100"), (json.GetProperty("missingOnOurSide")[0].GetProperty("reference").GetString(),
            json.GetProperty("missingOnOurSide")[0].GetProperty("amountFen").GetString()));
    }

    [Fact]
    public async Task An_amount_with_more_than_two_decimals_a_negative_one_or_no_number_is_refused_naming_its_line()
    {
        var problems = new List<string>();
        foreach (var amount in new[] { "12.345", "-5.00", "五十元" })
        {
            var file = ChineseWindows.Gbk.GetBytes($"{Header}\nBR-1,张三,2021001,20260901,50.00,\nBR-2,李四,2021002,20260901,{amount},\n");
            var refused = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Finance.ReconcileBankFileAsync,
                new ReconcileBankFileRequest { BusinessDate = "2026-09-01", File = Google.Protobuf.ByteString.CopyFrom(file) }));
            problems.Add(refused.Status.Detail);
        }

        Assert.Equal(
            ["line 3: the amount '12.345' has more than two decimals (yuan)", "line 3: the amount '-5.00' is negative (yuan)",
             "line 3: the amount '五十元' is not a number of yuan such as 123.45 (yuan)"],
            problems);
    }

    [Fact]
    public async Task A_service_whose_bank_file_columns_cannot_be_read_does_not_start_and_names_the_setting()
    {
        var settings = Settings().Append(new("Finance:BankFile:Columns", "reference,date,amount"));

        var refused = await Assert.ThrowsAsync<Host.Configuration.ConfigurationException>(() => InProcessService.StartAsync(settings));

        Assert.Contains("Finance:BankFile:Columns (Finance__BankFile__Columns) is 'reference,date,amount'", refused.Message);
    }
}
