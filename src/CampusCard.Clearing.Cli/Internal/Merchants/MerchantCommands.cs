using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using CardsClient = CampusCard.Clearing.Contracts.V1.Cards.CardsClient;

namespace CampusCard.Clearing.Cli.Internal.Merchants;

/// <summary><c>merchant open</c>, <c>terminal register|revoke</c>: who may take money, and from which terminals.</summary>
internal static class MerchantCommands
{
    public static Command Merchant(CliConsole console)
    {
        var merchant = new Command("merchant", "merchants (canteens, shops, the payees of the e-payment platform)");
        var id = new Argument<string>("merchant-id") { Description = "at most 32 characters, e.g. CANTEEN-1" };
        var name = new Option<string>("--name") { Description = "the merchant's name", Required = true };
        var category = EnumOption.Create<MerchantCategory>("--category", "what it sells; only the payee categories (network-fee … donation) take Payments.Pay");
        var open = new Command("open", "registers a merchant and its journal account (ALREADY_EXISTS for a second)").With(id, name, category);
        merchant.Subcommands.Add(open.Runs(console, async invocation =>
        {
            var reply = await new CardsClient(invocation.Calls).OpenMerchantAsync(new OpenMerchantRequest
            {
                MerchantId = invocation.Value(id),
                Name = invocation.Value(name),
                Category = invocation.Value(category),
            }, invocation.Options);
            var view = new Facts($"Merchant {reply.MerchantId}").Add("name", reply.Name).Add("category", Describe.Of(reply.Category)).Add("opened", Describe.Time(reply.OpenedAt));
            return invocation.Output.Show(reply, view.View());
        }));
        return merchant;
    }

    public static Command Terminal(CliConsole console)
    {
        var terminal = new Command("terminal", "POS terminals of merchants");
        terminal.Subcommands.Add(Register(console));
        terminal.Subcommands.Add(Revoke(console));
        return terminal;
    }

    private static Command Register(CliConsole console)
    {
        var id = TerminalId();
        var merchant = new Option<string>("--merchant") { Description = "the merchant it belongs to (opened with merchant open)", Required = true };
        var command = new Command("register", "registers a terminal to its merchant; again to the same merchant answers the registration").With(id, merchant);
        return command.Runs(console, async invocation =>
        {
            var reply = await new CardsClient(invocation.Calls).RegisterTerminalAsync(
                new RegisterTerminalRequest { TerminalId = invocation.Value(id), MerchantId = invocation.Value(merchant) }, invocation.Options);
            return invocation.Output.Show(reply, View(reply));
        });
    }

    private static Command Revoke(CliConsole console)
    {
        var id = TerminalId();
        var command = new Command("revoke", "refuses the terminal's calls from now on, whatever its token says").With(id);
        return command.Runs(console, async invocation =>
        {
            var reply = await new CardsClient(invocation.Calls).RevokeTerminalAsync(new RevokeTerminalRequest { TerminalId = invocation.Value(id) }, invocation.Options);
            return invocation.Output.Show(reply, View(reply));
        });
    }

    private static Argument<string> TerminalId() => new("terminal-id") { Description = "letters, digits and - _ . :, at most 32 characters" };

    private static Spectre.Console.Table View(TerminalRegistration registration) => new Facts($"Terminal {registration.TerminalId}")
        .Add("merchant", registration.MerchantId)
        .Add("registered", Describe.Time(registration.RegisteredAt))
        .Add("revoked", registration.RevokedAt is null ? "no" : Describe.Time(registration.RevokedAt))
        .View();
}
