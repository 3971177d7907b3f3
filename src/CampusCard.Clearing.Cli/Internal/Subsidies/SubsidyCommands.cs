using System.CommandLine;
using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using CardsClient = CampusCard.Clearing.Contracts.V1.Cards.CardsClient;

namespace CampusCard.Clearing.Cli.Internal.Subsidies;

/// <summary><c>subsidy issue|recall</c>: 补助 batches onto cardholders' pending balances, and back to the fund after their deadline.</summary>
internal static class SubsidyCommands
{
    public static Command Create(CliConsole console)
    {
        var subsidy = new Command("subsidy", "subsidy batches (补助): issue from a file, recall what is unclaimed");
        subsidy.Subcommands.Add(Issue(console));
        subsidy.Subcommands.Add(Recall(console));
        return subsidy;
    }

    private static Option<string> Batch() => new("--batch") { Description = "the batch id: letters, digits and - _ . :, at most 40", Required = true };

    private static Command Issue(CliConsole console)
    {
        var file = new Argument<FileInfo>("csv") { Description = "lines person_no,amount_fen[,memo]; a first line starting with person_no is a header" };
        var encoding = FileInput.EncodingOption(FileInput.Detection);
        var batch = Batch();
        var deadline = Deadline.Option();
        var memo = new Option<string?>("--memo") { Description = "what the batch is for" };
        var chunk = new Option<int>("--chunk") { Description = "rows per message of the upload stream", DefaultValueFactory = _ => 500 };
        chunk.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 5_000) result.AddError("--chunk must be 1..5000");
        });
        var command = new Command("issue", "uploads a batch (Cards.IssueSubsidies); sent again it issues only what is missing. Exit code 1 when persons were unknown or closed")
            .With(file, encoding, batch, deadline, memo, chunk);
        return command.Runs(console, async invocation =>
        {
            var rows = SubsidyRows.Read(invocation.Value(file), invocation.Value(encoding));
            var first = new SubsidyUpload { BatchId = invocation.Value(batch), Memo = invocation.Value(memo) ?? "" };
            if (invocation.Value(deadline) is { } at) first.ClaimDeadline = Timestamp.FromDateTimeOffset(at);
            var reply = await UploadAsync(invocation, first, rows, invocation.Value(chunk));
            var incomplete = reply.UnknownPersonNos.Count + reply.ClosedPersonNos.Count + reply.ConflictingPersonNos.Count > 0;
            return invocation.Output.Show(reply, SubsidyViews.Issued(reply), incomplete ? ExitCodes.Declined : ExitCodes.Ok);
        });
    }

    private static async Task<IssueSubsidiesReply> UploadAsync(Invocation invocation, SubsidyUpload first, List<SubsidyRow> rows, int chunk)
    {
        using var call = new CardsClient(invocation.Calls).IssueSubsidies(invocation.StreamOptions);
        await invocation.Output.WithProgressAsync($"uploading {first.BatchId}", rows.Count, async advance =>
        {
            var message = first;
            foreach (var part in rows.Chunk(chunk).DefaultIfEmpty([]))
            {
                message.Rows.AddRange(part);
                await call.RequestStream.WriteAsync(message, invocation.Cancellation);
                advance(part.Length);
                message = new SubsidyUpload { BatchId = first.BatchId };
            }
            await call.RequestStream.CompleteAsync();
        });
        return await call.ResponseAsync;
    }

    private static Command Recall(CliConsole console)
    {
        var batch = Batch();
        var command = new Command("recall", "returns what of a batch is unclaimed to the subsidy fund, after its claim deadline (FAILED_PRECONDITION before)").With(batch);
        return command.Runs(console, async invocation =>
        {
            var reply = await new CardsClient(invocation.Calls).RecallSubsidiesAsync(new RecallSubsidiesRequest { BatchId = invocation.Value(batch) }, invocation.Options);
            return invocation.Output.Show(reply, SubsidyViews.Recalled(reply));
        });
    }
}
