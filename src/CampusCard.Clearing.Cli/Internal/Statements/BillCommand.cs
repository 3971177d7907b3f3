using System.CommandLine;
using CampusCard.Clearing.Contracts.V1;
using StatementsClient = CampusCard.Clearing.Contracts.V1.Statements.StatementsClient;

namespace CampusCard.Clearing.Cli.Internal.Statements;

/// <summary><c>bill</c>: 我的账单, a month's spend per category and the six months' totals, as bar charts.</summary>
internal static class BillCommand
{
    public static Command Create(CliConsole console)
    {
        var person = new Option<string>("--person") { Description = "the cardholder's person number (学号 / 工号)", Required = true };
        var month = new Option<string>("--month") { Description = "the month: 2026-09", Required = true };
        var command = new Command("bill", "a cardholder's monthly bill (Statements.GetMonthlyBill): spend per category, reversals and refunds taken off")
            .With(person, month);
        return command.Runs(console, async invocation =>
        {
            var request = new GetMonthlyBillRequest { PersonNo = invocation.Value(person), Month = invocation.Value(month) };
            var bill = await new StatementsClient(invocation.Calls).GetMonthlyBillAsync(request, invocation.Options);
            return invocation.Output.Show(bill, BillViews.Bill(bill));
        });
    }
}
