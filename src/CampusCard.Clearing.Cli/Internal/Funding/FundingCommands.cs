using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using FundingClient = CampusCard.Clearing.Contracts.V1.Funding.FundingClient;
using TerminalClient = CampusCard.Clearing.Contracts.V1.Terminal.TerminalClient;

namespace CampusCard.Clearing.Cli.Internal.Funding;

/// <summary><c>balance</c> (a kiosk's token) and <c>credit</c>: a card's balances, and an adjustment onto a purse.</summary>
internal static class FundingCommands
{
    public static Command Balance(CliConsole console)
    {
        var card = new Argument<string>("card-no") { Description = "the card number" };
        var command = new Command("balance", "a card's balances and state as a kiosk reads them (Terminal.GetBalance: a kiosk's token)").With(card);
        return command.Runs(console, async invocation =>
        {
            var reply = await new TerminalClient(invocation.Calls).GetBalanceAsync(new GetBalanceRequest { CardNo = invocation.Value(card) }, invocation.Options);
            return invocation.Output.Show(reply, AccountViews.Balance(reply));
        });
    }

    public static Command Credit(CliConsole console)
    {
        var person = new Argument<string>("person-no") { Description = "the cardholder's person number" };
        var amount = new Argument<long>("amount-fen") { Description = "fen (分) onto the purse, > 0" };
        var source = EnumOption.Create<SystemAccount>("--source", "the system account it comes from, e.g. suspense after a reconciliation");
        var memo = new Option<string?>("--memo") { Description = "why, at most 200 characters; stored in the journal" };
        var requestId = RequestIds.Option();
        var command = new Command("credit", "an adjustment: a system account → the purse (Funding.Credit)").With(person, amount, source, memo, requestId);
        return command.Runs(console, async invocation =>
        {
            var id = RequestIds.Of(invocation, requestId);
            var reply = await new FundingClient(invocation.Calls).CreditAsync(new CreditRequest
            {
                RequestId = id,
                PersonNo = invocation.Value(person),
                AmountFen = invocation.Value(amount),
                Source = invocation.Value(source),
                Memo = invocation.Value(memo) ?? "",
            }, invocation.Options);
            var document = Output.ToJson(reply);
            document["requestId"] = id;
            return invocation.Output.Show(document, DecisionViews.Funding("Credit", id, reply), Describe.ExitCode(reply.Outcome));
        });
    }
}
