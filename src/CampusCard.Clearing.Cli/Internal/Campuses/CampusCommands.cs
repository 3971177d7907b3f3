using System.CommandLine;
using CampusCard.Clearing.Contracts.V1;
using AdminClient = CampusCard.Clearing.Contracts.V1.Admin.AdminClient;

namespace CampusCard.Clearing.Cli.Internal.Campuses;

/// <summary><c>campus create|list</c>: the vendor's campuses (校区) of a deployment, with the vendor's token (Admin).</summary>
internal static class CampusCommands
{
    public static Command Create(CliConsole console)
    {
        var campus = new Command("campus", "the campuses (校区) of the deployment: the vendor's commands (a vendor token, which names no campus)");
        campus.Subcommands.Add(CreateCampus(console));
        campus.Subcommands.Add(List(console));
        return campus;
    }

    private static Command CreateCampus(CliConsole console)
    {
        var code = new Argument<string>("code")
        {
            Description = "what its callers' tokens name (issue-token --campus CODE): lower-case letters, digits and '-', a letter or digit first, at most 32",
        };
        var name = new Option<string>("--name") { Description = "what people call it, e.g. 盘锦校区", Required = true };
        var database = new Option<string>("--journal-database")
        {
            Description = "the journal database its journal and registry live in, by the name the deployment's configuration gives it (Journal__Databases__<name>); for good",
            DefaultValueFactory = _ => "main",
        };
        var command = new Command("create",
            "creates a campus under the next free number (Admin.CreateCampus); again with the same name and journal database it answers the campus, " +
            "with another exit 7 (ALREADY_EXISTS)").With(code, name, database);
        return command.Runs(console, async invocation =>
        {
            var request = new CreateCampusRequest { Code = invocation.Value(code), Name = invocation.Value(name), JournalDatabase = invocation.Value(database) };
            var reply = await new AdminClient(invocation.Calls).CreateCampusAsync(request, invocation.Options);
            return invocation.Output.Show(reply, CampusViews.Campus(reply));
        });
    }

    private static Command List(CliConsole console)
    {
        var command = new Command("list", "every campus of the deployment by number, the default campus (1) first (Admin.ListCampuses)");
        return command.Runs(console, async invocation =>
        {
            var reply = await new AdminClient(invocation.Calls).ListCampusesAsync(new ListCampusesRequest(), invocation.Options);
            return invocation.Output.Show(reply, CampusViews.List(reply));
        });
    }
}
