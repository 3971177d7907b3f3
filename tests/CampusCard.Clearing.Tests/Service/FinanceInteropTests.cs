using System.Text.Json;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The RPCs of issue 12 called by python3-grpcio: settlement, statements and bills, reconciliation.</summary>
public class FinanceInteropTests : ServiceTestBase
{
    private const string FinanceRpc = "campuscard.clearing.v1.Finance/";
    private const string StatementsRpc = "campuscard.clearing.v1.Statements/";

    [Fact]
    public async Task A_day_is_settled_stated_billed_and_reconciled_from_python()
    {
        var account = await OpenAccountAsync();
        var merchant = await OpenMerchantAsync();
        await Funding_TopUpAsync(account.PersonNo);
        await DebitAsync(Debit(account, merchant, 1_200));
        Clock.Advance(TimeSpan.FromHours(15));
        var (finance, payments) = (TestCredentials.Token(CallerRole.Finance), TestCredentials.Token(CallerRole.Payments));
        var gbkFile = ChineseWindows.Gbk.GetBytes($"日期,流水号,学号,金额\r\n2026-09-01,BR-1,{account.PersonNo},5000\r\n");

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call(FinanceRpc + "RunSettlement", finance, new { business_date = "2026-09-01" }),
                Call(StatementsRpc + "GetStatement", payments, new { person_no = account.PersonNo, from_date = "2026-09-01", to_date = "2026-09-02" }),
                Call(StatementsRpc + "GetMonthlyBill", payments, new { person_no = account.PersonNo, month = "2026-09" }),
                Call(FinanceRpc + "CheckHotState", finance, new { }),
                Call(FinanceRpc + "ReconcileBankFile", finance, new { business_date = "2026-09-01", csv = $"2026-09-01,BR-1,{account.PersonNo},5000\n2026-09-01,BR-2,{account.PersonNo},100\n" }),
                Call(FinanceRpc + "RunSettlement", payments, new { business_date = "2026-09-01" }),
                Call(FinanceRpc + "ReconcileBankFile", finance, new { business_date = "2026-09-01", file = Convert.ToBase64String(gbkFile), encoding = "gbk" }),
                Call(FinanceRpc + "ReconcileBankFile", finance, new { business_date = "2026-09-01", file = Convert.ToBase64String(gbkFile), encoding = "utf-8" }),
            },
        });

        var settlement = Reply(results[0]);
        Assert.Equal(("1200", "1200"), (settlement.GetProperty("net_fen").GetString(), settlement.GetProperty("settled_fen").GetString()));
        Assert.Equal("debit -1200, quota_top_up 5000",
            string.Join(", ", Reply(results[1]).GetProperty("lines").EnumerateArray().Select(l => $"{l.GetProperty("kind").GetString()} {l.GetProperty("amount_fen").GetString()}")));
        Assert.Equal("1200", Reply(results[2]).GetProperty("total_fen").GetString());
        Assert.False(Reply(results[3]).TryGetProperty("differences", out _));
        Assert.Equal(("1", "BR-2"), (Reply(results[4]).GetProperty("matched").GetString(),
            Reply(results[4]).GetProperty("missing_on_our_side")[0].GetProperty("reference").GetString()));
        Assert.Equal("PERMISSION_DENIED", results[5].GetProperty("code").GetString());
        Assert.Equal(("1", "5000"), (Reply(results[6]).GetProperty("matched").GetString(), Reply(results[6]).GetProperty("matched_fen").GetString()));
        Assert.Equal("INVALID_ARGUMENT", results[7].GetProperty("code").GetString());
        Assert.StartsWith("line 1: the bytes", results[7].GetProperty("details").GetString());
    }

    private Task Funding_TopUpAsync(string personNo) =>
        CallAsync(FundingAs(CallerRole.Bank).QuotaTopUpAsync, new Contracts.V1.QuotaTopUpRequest { RequestId = "BR-1", PersonNo = personNo, AmountFen = 5_000 });

    private static object Call(string method, string token, object request) => new { method, token, request };

    private static JsonElement Reply(JsonElement result) =>
        result.TryGetProperty("reply", out var reply) ? reply : throw new Xunit.Sdk.XunitException($"the call failed: {result}");
}
