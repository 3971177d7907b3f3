using CampusCard.Clearing.Host;
using CampusCard.Clearing.Journal;

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
