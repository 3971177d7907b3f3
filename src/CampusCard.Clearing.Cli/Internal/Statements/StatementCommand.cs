using System.CommandLine;
using CampusCard.Clearing.Contracts.V1;
using StatementsClient = CampusCard.Clearing.Contracts.V1.Statements.StatementsClient;

namespace CampusCard.Clearing.Cli.Internal.Statements;

/// <summary><c>statement</c>: a cardholder's transactions that moved money (流水), newest first, a page or all of them.</summary>
internal static class StatementCommand
{
    public static Command Create(CliConsole console)
    {
        var holder = new Holder();
        var from = new Option<string?>("--from") { Description = "the first day, inclusive: 2026-09-01 (default: 30 days before --to)" };
        var to = new Option<string?>("--to") { Description = "the last day, inclusive (default: today)" };
        var pageSize = new Option<int>("--page-size") { Description = "lines per page, 1 to 500 (default: the service's, 50)" };
        var pageToken = new Option<string?>("--page-token") { Description = "the next page: the token the page before printed" };
        var all = new Option<bool>("--all") { Description = "every page to the end" };
        var command = holder.AddTo(new Command("statement", "a cardholder's statement (Statements.GetStatement), by person or by any card they held"))
            .With(from, to, pageSize, pageToken, all);
        return command.Runs(console, async invocation =>
        {
            var request = holder.Apply(invocation, new GetStatementRequest(), (r, p) => r.PersonNo = p, (r, c) => r.CardNo = c);
            request.FromDate = invocation.Value(from) ?? "";
            request.ToDate = invocation.Value(to) ?? "";
            request.PageSize = invocation.Value(pageSize);
            request.PageToken = invocation.Value(pageToken) ?? "";
            var statement = await ReadAsync(new StatementsClient(invocation.Calls), request, invocation.Value(all), invocation);
            return invocation.Output.Show(statement, StatementViews.Lines(statement));
        });
    }

    /// <summary>The page asked for; with <paramref name="all"/>, it and every page after it as one statement.</summary>
    private static async Task<Statement> ReadAsync(StatementsClient statements, GetStatementRequest request, bool all, Invocation invocation)
    {
        var statement = await statements.GetStatementAsync(request, invocation.Options);
        while (all && statement.NextPageToken.Length > 0)
        {
            request.PageToken = statement.NextPageToken;
            var page = await statements.GetStatementAsync(request, invocation.Options);
            statement.Lines.AddRange(page.Lines);
            statement.NextPageToken = page.NextPageToken;
        }
        return statement;
    }
}
