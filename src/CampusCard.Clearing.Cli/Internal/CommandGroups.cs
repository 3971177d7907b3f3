using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Accounts;
using CampusCard.Clearing.Cli.Internal.Campuses;
using CampusCard.Clearing.Cli.Internal.Cards;
using CampusCard.Clearing.Cli.Internal.Funding;
using CampusCard.Clearing.Cli.Internal.Merchants;
using CampusCard.Clearing.Cli.Internal.Reconciliation;
using CampusCard.Clearing.Cli.Internal.Settlements;
using CampusCard.Clearing.Cli.Internal.Statements;
using CampusCard.Clearing.Cli.Internal.Subsidies;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>The command groups under the root, one folder each: the card office's, then finance's, then the vendor's.</summary>
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
        SettlementCommands.Create(console),
        StatementCommand.Create(console),
        BillCommand.Create(console),
        ReconcileCommands.Create(console),
        CampusCommands.Create(console),
    ];
}
