using System.CommandLine;
using System.Text.Json.Nodes;
using CampusCard.Clearing.Cli.Internal.Views;
using CardsClient = CampusCard.Clearing.Contracts.V1.Cards.CardsClient;

namespace CampusCard.Clearing.Cli.Internal.Accounts;

/// <summary><c>account import</c>: a new year's students from a CSV file, with a progress bar and a summary.</summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("csv") { Description = "lines person_no,name,card_type,id_number[,card_no]; a first line starting with person_no is a header" };
        var encoding = FileInput.EncodingOption(FileInput.Detection);
        var parallel = new Option<int>("--parallel") { Description = "accounts opened at once", DefaultValueFactory = _ => 4 };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--parallel must be at least 1");
        });
        var command = new Command("import", "opens each student's account (Cards.OpenAccount); a re-run opens only the missing ones. Exit code 1 when a line failed, 5 when the service could not be reached for one (run it again)");
        return command.With(file, encoding, parallel).Runs(console, async invocation =>
        {
            var lines = FileInput.Records(invocation.Value(file), invocation.Value(encoding), Student.Header);
            var import = new AccountImport(new CardsClient(invocation.Calls), invocation);
            var rows = new ImportedRow[lines.Count];
            var options = new ParallelOptions { MaxDegreeOfParallelism = invocation.Value(parallel), CancellationToken = invocation.Cancellation };
            await invocation.Output.WithProgressAsync("opening accounts", lines.Count, advance => Parallel.ForEachAsync(Enumerable.Range(0, lines.Count), options, async (i, _) =>
            {
                rows[i] = await import.OpenAsync(lines[i]);
                advance(1);
            }));
            return invocation.Output.Show(Document(rows), ImportView.Of(rows), ExitCode(rows));
        });
    }

    /// <summary>5 when a line may succeed if the import is run again, else 1 when a line failed.</summary>
    private static int ExitCode(ImportedRow[] rows) =>
        rows.Any(r => r.Retryable) ? ExitCodes.Failed : rows.Any(r => r.Status == ImportStatus.Failed) ? ExitCodes.Declined : ExitCodes.Ok;

    private static JsonObject Document(ImportedRow[] rows) => new()
    {
        ["rows"] = rows.Length,
        ["opened"] = rows.Count(r => r.Status == ImportStatus.Opened),
        ["alreadyExisting"] = rows.Count(r => r.Status == ImportStatus.AlreadyExisting),
        ["failed"] = rows.Count(r => r.Status == ImportStatus.Failed),
        ["accounts"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["line"] = r.Line,
            ["personNo"] = r.PersonNo,
            ["status"] = Names.Kebab(r.Status),
            ["cardNo"] = r.CardNo,
            ["reason"] = r.Reason,
        })]),
    };
}
