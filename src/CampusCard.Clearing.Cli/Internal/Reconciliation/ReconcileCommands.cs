using System.CommandLine;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Files;
using Google.Protobuf;
using FinanceClient = CampusCard.Clearing.Contracts.V1.Finance.FinanceClient;

namespace CampusCard.Clearing.Cli.Internal.Reconciliation;

/// <summary><c>reconcile hot-state|bank-file</c>: 对账, the hot store and the bank's daily file against the journal. Exit code 1 when they differ.</summary>
internal static class ReconcileCommands
{
    public static Command Create(CliConsole console)
    {
        var reconcile = new Command("reconcile", "reconciliation (对账) against the journal; it reports differences and fixes none. Exit code 1 when there are some");
        reconcile.Subcommands.Add(HotState(console));
        reconcile.Subcommands.Add(BankFile(console));
        return reconcile;
    }

    private static Command HotState(CliConsole console)
    {
        var command = new Command("hot-state", "every cardholder's balances and card state in the hot store against the journal (Finance.CheckHotState)");
        return command.Runs(console, async invocation =>
        {
            var report = await new FinanceClient(invocation.Calls).CheckHotStateAsync(new CheckHotStateRequest(), invocation.Options);
            return invocation.Output.Show(report, ReconcileViews.HotState(report), report.Differences.Count == 0 ? ExitCodes.Ok : ExitCodes.Declined);
        });
    }

    private static Command BankFile(CliConsole console)
    {
        var file = new Argument<FileInfo>("csv") { Description = "the bank's daily file of top-ups, in the layout the service's Finance:BankFile settings give (by default date,bank reference,person_no,amount_fen; a header line allowed)" };
        var encoding = FileInput.EncodingOption("the service's Finance:BankFile:Encoding when absent (auto unless set), which decodes the file");
        var date = new Option<string>("--date") { Description = "the business day it covers: 2026-09-01", Required = true };
        var command = new Command("bank-file", "the bank's top-ups of a day against the journal's (Finance.ReconcileBankFile)").With(file, encoding, date);
        return command.Runs(console, async invocation =>
        {
            var request = new ReconcileBankFileRequest
            {
                BusinessDate = invocation.Value(date),
                File = ByteString.CopyFrom(FileInput.Bytes(invocation.Value(file))),
                Encoding = invocation.Value(encoding) is { } named ? TextEncodings.Name(named) : "",
            };
            var reply = await new FinanceClient(invocation.Calls).ReconcileBankFileAsync(request, invocation.Options);
            var differs = reply.MissingOnOurSide.Count + reply.MissingOnBankSide.Count + reply.AmountDiffers.Count > 0;
            return invocation.Output.Show(reply, ReconcileViews.BankFile(reply), differs ? ExitCodes.Declined : ExitCodes.Ok);
        });
    }
}
