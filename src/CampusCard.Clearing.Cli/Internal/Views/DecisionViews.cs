using CampusCard.Clearing.Contracts.V1;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Views;

/// <summary>The answers to changes of a card and to credits: what was decided, and the balances after.</summary>
internal static class DecisionViews
{
    public static IRenderable Card(string what, string requestId, CardReply reply) => new Facts(what)
        .Add("outcome", Describe.Outcome(reply.Outcome, reply.DeclineReason))
        .Add("request id", requestId)
        .AddIf(reply.Outcome == Outcome.Approved, "transaction", reply.TransactionId.ToString())
        .AddIf(reply.CardNo.Length > 0, "card", reply.CardNo)
        .Add("card state", Describe.Of(reply.CardState))
        .AddIf(reply.AmountFen != 0, "amount", Money.Yuan(reply.AmountFen))
        .AddIf(reply.Balances is not null, "purse", Money.Yuan(reply.Balances?.PurseFen ?? 0))
        .Add("decided", Describe.Time(reply.DecidedAt))
        .View();

    public static IRenderable Funding(string what, string requestId, FundingReply reply) => new Facts(what)
        .Add("outcome", Describe.Outcome(reply.Outcome, reply.DeclineReason))
        .Add("request id", requestId)
        .AddIf(reply.Outcome == Outcome.Approved, "transaction", reply.TransactionId.ToString())
        .AddIf(reply.Effect != Effect.Unspecified, "effect", Describe.Of(reply.Effect))
        .AddIf(reply.Balances is not null, "purse", Money.Yuan(reply.Balances?.PurseFen ?? 0))
        .Add("decided", Describe.Time(reply.DecidedAt))
        .View();
}
