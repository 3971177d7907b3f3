using CampusCard.Clearing.Contracts.V1;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Views;

/// <summary>An account, a card's balances and status, as tables.</summary>
internal static class AccountViews
{
    public static IRenderable Account(Account account) => AddStatus(new Facts($"Account {account.PersonNo}")
        .Add("name", account.Name)
        .Add("card type", Describe.Of(account.CardType))
        .Add("card", account.CardNo)
        .Add("opened", Describe.Time(account.OpenedAt)), account.Balances, account.Status)
        .View();

    public static IRenderable Balance(GetBalanceReply reply) => AddStatus(new Facts($"Card {reply.CardNo}")
        .Add("person", reply.PersonNo), reply.Balances, reply.Status)
        .View();

    private static Facts AddStatus(Facts facts, Balances? balances, CardStatus? status)
    {
        balances ??= new Balances();
        status ??= new CardStatus();
        return facts
            .Add("state", Describe.Of(status.State))
            .AddIf(status.FreezeReason != FreezeReason.Unspecified, "freeze reason", Describe.Of(status.FreezeReason))
            .AddIf(status.RewriteApproved, "rewrite", "approved at a kiosk")
            .Add("purse", Money.Yuan(balances.PurseFen))
            .Add("e-wallet", Money.Yuan(balances.WalletFen))
            .Add("pending", Money.Yuan(balances.PendingFen))
            .Add("held", Money.Yuan(balances.HeldFen))
            .Add("limits", $"single {Limit(status.SingleLimitFen)}, daily {Limit(status.DailyLimitFen)}")
            .Add("spent today", Money.Yuan(status.DaySpentFen))
            .Add("PIN", status.PinLocked ? "locked" : status.PinIsDefault ? "default" : "changed");
    }

    private static string Limit(long fen) => fen == 0 ? "none" : Money.Yuan(fen);
}
