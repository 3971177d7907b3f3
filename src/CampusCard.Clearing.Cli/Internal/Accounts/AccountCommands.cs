using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using CardsClient = CampusCard.Clearing.Contracts.V1.Cards.CardsClient;

namespace CampusCard.Clearing.Cli.Internal.Accounts;

/// <summary><c>account …</c>: opening and reading cardholders' accounts, one or a year's students at a time.</summary>
internal static class AccountCommands
{
    public static Command Create(CliConsole console)
    {
        var account = new Command("account", "cardholders' accounts: open one, show one, import a new year's students");
        account.Subcommands.Add(Open(console));
        account.Subcommands.Add(Show(console));
        account.Subcommands.Add(ImportCommand.Create(console));
        return account;
    }

    private static Command Open(CliConsole console)
    {
        var person = new Option<string>("--person") { Description = "the person number (学号 / 工号), at most 32 characters", Required = true };
        var name = new Option<string>("--name") { Description = "the cardholder's name", Required = true };
        var type = EnumOption.Create<CardType>("--type", "the card type: its limits and replacement fee");
        var idNumber = new Option<string>("--id-number") { Description = "the ID number (18 characters); its last six make the default PIN", Required = true };
        var cardNo = new Option<string?>("--card-no") { Description = "the physical card's number (6 to 20 digits); the service makes one when absent" };
        var command = new Command("open", "opens the one account a person has, and its first card (sent again, it answers the account)");
        return command.With(person, name, type, idNumber, cardNo).Runs(console, async invocation =>
        {
            var account = await new CardsClient(invocation.Calls).OpenAccountAsync(new OpenAccountRequest
            {
                PersonNo = invocation.Value(person),
                Name = invocation.Value(name),
                CardType = invocation.Value(type),
                IdNumber = invocation.Value(idNumber),
                CardNo = invocation.Value(cardNo) ?? "",
            }, invocation.Options);
            return invocation.Output.Show(account, AccountViews.Account(account));
        });
    }

    private static Command Show(CliConsole console)
    {
        var holder = new Holder();
        var command = holder.AddTo(new Command("show", "an account with its card's state, balances, limits and today's spend"));
        return command.Runs(console, async invocation =>
        {
            var request = holder.Apply(invocation, new GetAccountRequest(), (r, p) => r.PersonNo = p, (r, c) => r.CardNo = c);
            var account = await new CardsClient(invocation.Calls).GetAccountAsync(request, invocation.Options);
            return invocation.Output.Show(account, AccountViews.Account(account));
        });
    }
}
