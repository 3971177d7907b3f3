using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using CardsClient = CampusCard.Clearing.Contracts.V1.Cards.CardsClient;

namespace CampusCard.Clearing.Cli.Internal.Cards;

/// <summary><c>card …</c>: the card office's changes of a card (Cards RPCs), each a decision under a request id.</summary>
internal static class CardCommands
{
    private delegate AsyncUnaryCall<CardReply> Call(CardsClient cards, string requestId, Invocation invocation);

    public static Command Create(CliConsole console)
    {
        var card = new Command("card", "the lifecycle of a card: loss, freezing, replacement, closing, PIN and payment password reset");
        card.Subcommands.Add(ReportLoss(console));
        card.Subcommands.Add(CancelLoss(console));
        card.Subcommands.Add(Freeze(console));
        card.Subcommands.Add(Unfreeze(console));
        card.Subcommands.Add(Replace(console));
        card.Subcommands.Add(Close(console));
        card.Subcommands.Add(ResetPin(console));
        card.Subcommands.Add(ResetPaymentPassword(console));
        return card;
    }

    private static Command ReportLoss(CliConsole console)
    {
        var holder = new Holder();
        var command = holder.AddTo(new Command("report-loss", "挂失: the card is refused from now on; what it did before stands"));
        return Decision(console, command, "Loss reported", (cards, id, invocation) => cards.ReportLossAsync(
            holder.Apply(invocation, new ReportLossRequest { RequestId = id }, (r, p) => r.PersonNo = p, (r, c) => r.CardNo = c),
            invocation.Options));
    }

    private static Command CancelLoss(CliConsole console)
    {
        var holder = new Holder();
        var command = holder.AddTo(new Command("cancel-loss", "解挂 at the office"));
        return Decision(console, command, "Loss cancelled", (cards, id, invocation) => cards.CancelLossAsync(
            holder.Apply(invocation, new CancelLossRequest { RequestId = id }, (r, p) => r.PersonNo = p, (r, c) => r.CardNo = c),
            invocation.Options));
    }

    private static Command Freeze(CliConsole console)
    {
        var holder = new Holder();
        var reason = EnumOption.Create<FreezeReason>("--reason", "why the card is frozen (overdrawn lifts only once repaid)");
        var command = holder.AddTo(new Command("freeze", "冻结 for a reason")).With(reason);
        return Decision(console, command, "Frozen", (cards, id, invocation) => cards.FreezeAsync(
            holder.Apply(invocation, new FreezeRequest { RequestId = id, Reason = invocation.Value(reason) }, (r, p) => r.PersonNo = p, (r, c) => r.CardNo = c),
            invocation.Options));
    }

    private static Command Unfreeze(CliConsole console)
    {
        var holder = new Holder();
        var atKiosk = new Option<bool>("--at-kiosk") { Description = "approve it for the cardholder to finish at a kiosk (档案重写) instead of at once" };
        var reason = EnumOption.Create<FreezeReason>("--reason", "the one reason to lift; without it every reason that may lift does (overdrawn only once repaid)", required: false);
        var command = holder.AddTo(new Command("unfreeze", "解冻: each reason a card is frozen for lifts on its own")).With(atKiosk, reason);
        return Decision(console, command, "Unfrozen", (cards, id, invocation) => cards.UnfreezeAsync(
            holder.Apply(invocation, new UnfreezeRequest { RequestId = id, AtKiosk = invocation.Value(atKiosk), Reason = invocation.Value(reason) },
                (r, p) => r.PersonNo = p, (r, c) => r.CardNo = c),
            invocation.Options));
    }

    private static Command Replace(CliConsole console)
    {
        var person = PersonOption();
        var reason = EnumOption.Create<ReplaceReason>("--reason", "why: it decides the fee (工本费)");
        var visibleDamage = new Option<bool>("--visible-damage") { Description = "the card shows creases or cracks: a chip failure is then not free" };
        var newCard = new Option<string?>("--new-card") { Description = "the new card's number (6 to 20 digits); the service makes one when absent" };
        var command = new Command("replace", "补办: a new card, the old number dead at once, balance and limits carried").With(person, reason, visibleDamage, newCard);
        return Decision(console, command, "Replaced", (cards, id, invocation) => cards.ReplaceCardAsync(new ReplaceCardRequest
        {
            RequestId = id,
            PersonNo = invocation.Value(person),
            Reason = invocation.Value(reason),
            VisibleDamage = invocation.Value(visibleDamage),
            CardNo = invocation.Value(newCard) ?? "",
        }, invocation.Options));
    }

    private static Command Close(CliConsole console)
    {
        var person = PersonOption();
        var command = new Command("close", "报退: the purse refunded, the card dead, the account never reopened").With(person);
        return Decision(console, command, "Closed", (cards, id, invocation) =>
            cards.CloseAccountAsync(new CloseAccountRequest { RequestId = id, PersonNo = invocation.Value(person) }, invocation.Options));
    }

    private static Command ResetPin(CliConsole console)
    {
        var person = PersonOption();
        var command = new Command("reset-pin", "密码重置: the PIN back to the default (the ID number's last six), unlocked").With(person);
        return Decision(console, command, "PIN reset", (cards, id, invocation) =>
            cards.ResetPinAsync(new ResetPinRequest { RequestId = id, PersonNo = invocation.Value(person) }, invocation.Options));
    }

    private static Command ResetPaymentPassword(CliConsole console)
    {
        var person = PersonOption();
        var command = new Command("reset-payment-password", "支付密码重置: the payment password and its lock cleared; the cardholder sets a new one with the card PIN").With(person);
        return Decision(console, command, "Payment password reset", (cards, id, invocation) =>
            cards.ResetPaymentPasswordAsync(new ResetPaymentPasswordRequest { RequestId = id, PersonNo = invocation.Value(person) }, invocation.Options));
    }

    private static Option<string> PersonOption() => new("--person") { Description = "the cardholder's person number (学号 / 工号)", Required = true };

    private static Command Decision(CliConsole console, Command command, string title, Call call)
    {
        var requestId = RequestIds.Option();
        return command.With(requestId).Runs(console, async invocation =>
        {
            var id = RequestIds.Of(invocation, requestId);
            var reply = await call(new CardsClient(invocation.Calls), id, invocation);
            var document = Output.ToJson(reply);
            document["requestId"] = id;
            return invocation.Output.Show(document, DecisionViews.Card(title, id, reply), Describe.ExitCode(reply.Outcome));
        });
    }
}
