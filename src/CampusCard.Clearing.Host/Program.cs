using CampusCard.Clearing.Host;
using CampusCard.Clearing.Journal;

// Socket completions run on the epoll thread instead of hopping to the thread pool: on a small
// machine the hops (context switches) cost more than the work, +20 % unary debits on 2 cores.
// Read once, at the first socket: set it here, before any, unless the operator chose otherwise.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null) Environment.SetEnvironmentVariable(InlineCompletions, "1");

// `CampusCard.Clearing.Host migrate` applies the journal migrations and exits; anything else runs the service.
var app = ClearingApp.Build(args.Where(a => a != "migrate").ToArray());
if (args.Contains("migrate"))
{
    var applied = await app.Services.GetRequiredService<PostgresMigrator>().MigrateAsync();
    Console.WriteLine(applied.Count == 0 ? "journal schema is up to date" : $"applied migrations {string.Join(", ", applied)}");
    return 0;
}
await app.RunAsync();
return 0;
