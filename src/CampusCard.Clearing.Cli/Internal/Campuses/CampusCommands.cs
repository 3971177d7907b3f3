using System.CommandLine;
using CampusCard.Clearing.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AdminClient = CampusCard.Clearing.Contracts.V1.Admin.AdminClient;

namespace CampusCard.Clearing.Cli.Internal.Campuses;

/// <summary><c>campus create|list|show|configure</c>: the vendor's campuses (校区) of a deployment, with the vendor's token (Admin).</summary>
internal static class CampusCommands
{
    public static Command Create(CliConsole console)
    {
        var campus = new Command("campus", "the campuses (校区) of the deployment: the vendor's commands (a vendor token, which names no campus)");
        campus.Subcommands.Add(CreateCampus(console));
        campus.Subcommands.Add(List(console));
        campus.Subcommands.Add(Show(console));
        campus.Subcommands.Add(Configure(console));
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

    private static Command Show(CliConsole console)
    {
        var code = new Argument<string>("code") { Description = "the campus's code" };
        var command = new Command("show", "a campus and every version of its settings, the one in force marked (Admin.GetCampus); exit 3 when there is no such campus").With(code);
        return command.Runs(console, async invocation =>
        {
            var reply = await new AdminClient(invocation.Calls).GetCampusAsync(new GetCampusRequest { Code = invocation.Value(code) }, invocation.Options);
            return invocation.Output.Show(reply, CampusViews.Detail(reply));
        });
    }

    private static Command Configure(CliConsole console)
    {
        var code = new Argument<string>("code") { Description = "the campus's code" };
        var file = new Argument<FileInfo>("settings")
        {
            Description = "a JSON file of the campus's settings, by admin.proto's CampusSettings field names, e.g. {\"utc_offset\": \"-05:00\", \"business_day_starts_at\": \"04:00\"}; "
                + "each left out is the deployment's",
        };
        var from = new Option<DateTimeOffset?>("--effective-from") { Description = "when it applies, 2026-09-01T00:00:00+08:00 (now when absent; a time past is refused: a change applies from now on)" };
        var command = new Command("configure",
            "a new version of the campus's settings, answered once journaled; every instance applies it from its time on, without a restart (Admin.ConfigureCampus)").With(code, file, from);
        return command.Runs(console, async invocation =>
        {
            var request = new ConfigureCampusRequest { Code = invocation.Value(code), Settings = SettingsOf(invocation.Value(file)) };
            if (invocation.Value(from) is { } at) request.EffectiveFrom = Timestamp.FromDateTimeOffset(at);
            var reply = await new AdminClient(invocation.Calls).ConfigureCampusAsync(request, invocation.Options);
            return invocation.Output.Show(reply, CampusViews.Configuration(reply));
        });
    }

    /// <summary>The settings file, parsed as the service's JSON mapping of CampusSettings parses it.</summary>
    private static CampusSettings SettingsOf(FileInfo file)
    {
        try
        {
            return JsonParser.Default.Parse<CampusSettings>(System.Text.Encoding.UTF8.GetString(FileInput.Bytes(file)));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw CliFailure.Usage($"{file.Name} is not a campus's settings: {e.Message}");
        }
        catch (InvalidJsonException e)
        {
            throw CliFailure.Usage($"{file.Name} is not JSON: {e.Message}");
        }
    }
}
