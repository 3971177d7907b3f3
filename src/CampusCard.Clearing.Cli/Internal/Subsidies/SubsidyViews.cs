using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Subsidies;

internal static class SubsidyViews
{
    public static IRenderable Issued(IssueSubsidiesReply reply) => new Facts($"Subsidy batch {reply.BatchId}")
        .Add("rows", reply.Rows.ToString())
        .Add("issued now", $"{reply.Issued} ({Money.Yuan(reply.IssuedFen)})")
        .Add("issued before", reply.AlreadyIssued.ToString())
        .AddIf(reply.UnknownPersonNos.Count > 0, "unknown persons", string.Join(", ", reply.UnknownPersonNos))
        .AddIf(reply.ClosedPersonNos.Count > 0, "closed accounts", string.Join(", ", reply.ClosedPersonNos))
        .AddIf(reply.ConflictingPersonNos.Count > 0, "issued before with another amount", string.Join(", ", reply.ConflictingPersonNos))
        .Add("claim deadline", Describe.Time(reply.ClaimDeadline))
        .View();

    public static IRenderable Recalled(RecallSubsidiesReply reply) => new Facts($"Subsidy batch {reply.BatchId} recalled")
        .Add("recalled now", $"{reply.Recalled} ({Money.Yuan(reply.RecalledFen)})")
        .Add("claimed or recalled before", reply.Claimed.ToString())
        .View();
}
