using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Accounts;
using CampusCard.Clearing.Cli.Internal.Cards;
using CampusCard.Clearing.Cli.Internal.Funding;
using CampusCard.Clearing.Cli.Internal.Merchants;
using CampusCard.Clearing.Cli.Internal.Subsidies;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>
/// The command groups under the root, one folder each. Finance's groups (settlement runs, statements, the
/// monthly bill, reconciliation) join here, a folder each, once the service answers their RPCs.
/// </summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All(CliConsole console) =>
    [
        AccountCommands.Create(console),
        CardCommands.Create(console),
        MerchantCommands.Merchant(console),
        MerchantCommands.Terminal(console),
        SubsidyCommands.Create(console),
        FundingCommands.Balance(console),
        FundingCommands.Credit(console),
    ];
}
