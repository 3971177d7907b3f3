namespace CampusCard.Clearing.Benchmarks.Infrastructure;

public static class Repository
{
    /// <summary>The folder holding the solution, found upwards from the binaries (BenchmarkDotNet runs copies of them deeper down).</summary>
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    private static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CampusCard.Clearing.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no CampusCard.Clearing.sln above {start}");
    }
}
