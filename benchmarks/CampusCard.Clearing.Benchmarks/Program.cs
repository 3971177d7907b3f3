using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CampusCard.Clearing.Benchmarks.Infrastructure;
using CampusCard.Clearing.Benchmarks.Rebuild;

// scripts/bench-rebuild.sh times one partition's rebuild with this entry, outside BenchmarkDotNet (one run is seconds).
if (args is ["rebuild-partition", ..]) return await RebuildPartition.RunAsync(args[1..]);

// The short job unless the command line names one (`--job dry` checks that everything runs), so the whole suite fits in
// minutes on a 2-core machine. A job in the config would not do: BenchmarkDotNet runs it beside, or instead of, `--job`.
if (!args.Any(a => a == "-j" || a.StartsWith("--job", StringComparison.Ordinal))) args = [.. args, "--job", "short"];
var config = DefaultConfig.Instance
    .WithArtifactsPath(Path.Combine(Repository.Root, "results", "benchmarks"));
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args, config);
return 0;
