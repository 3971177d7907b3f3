using System.CommandLine;
using CampusCard.Clearing.Contracts.V1;
using FinanceClient = CampusCard.Clearing.Contracts.V1.Finance.FinanceClient;

namespace CampusCard.Clearing.Cli.Internal.Settlements;

/// <summary><c>settlement run</c>: a business day's merchant settlement 结算, each merchant's net takings → bank clearing, once.</summary>
internal static class SettlementCommands
{
    public static Command Create(CliConsole console)
    {
        var settlement = new Command("settlement", "merchant settlement (结算) of a business day");
        settlement.Subcommands.Add(Run(console));
        return settlement;
    }

    private static Command Run(CliConsole console)
    {
        var date = new Option<string>("--date") { Description = "the business day, the campus's local date: 2026-09-01", Required = true };
        var command = new Command("run",
            "settles the day (Finance.RunSettlement: office or finance token); run again it reports what was settled. " +
            "Exit code 6 (FAILED_PRECONDITION) before the day's cut-off, the next day's 02:00").With(date);
        return command.Runs(console, async invocation =>
        {
            var request = new RunSettlementRequest { BusinessDate = invocation.Value(date) };
            var report = await new FinanceClient(invocation.Calls).RunSettlementAsync(request, invocation.Options);
            return invocation.Output.Show(report, SettlementViews.Report(report));
        });
    }
}
