using System.Globalization;

namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>
/// Finds the processes behind the servers under load from /proc: the ones listening on the TCP ports
/// (exact even when a test instance of the same program runs beside them), else the first whose command
/// line names the program.
/// </summary>
public static class ProcessFinder
{
    /// <summary>The distinct processes listening on <paramref name="ports"/> (a cluster's nodes); when none is, the first named <paramref name="programName"/>.</summary>
    public static IReadOnlyList<int> ListeningOn(IEnumerable<int> ports, string programName)
    {
        var listening = ports.Select(ListeningOnPort).OfType<int>().Distinct().ToList();
        if (listening.Count > 0) return listening;
        foreach (var candidate in Processes())
        {
            if (candidate != Environment.ProcessId && CommandLine(candidate).Contains(programName, StringComparison.Ordinal)) return [candidate];
        }
        return [];
    }

    /// <summary>The process and its children (PostgreSQL's backends and workers, Redis's rewrite fork).</summary>
    public static IReadOnlyList<int> WithChildren(int pid)
    {
        var family = new List<int> { pid };
        foreach (var candidate in Processes())
        {
            if (ProcStat.Read(candidate) is { } stat && stat.ParentPid == pid) family.Add(candidate);
        }
        return family;
    }

    private static int? ListeningOnPort(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                const string listen = "0A";
                if (fields[3] == listen && int.Parse(local[(local.IndexOf(':') + 1)..], NumberStyles.HexNumber) == port)
                    inodes.Add($"socket:[{fields[9]}]");
            }
        }
        if (inodes.Count == 0) return null;
        foreach (var pid in Processes())
        {
            try
            {
                foreach (var fd in System.IO.Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)) return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to look at.
            }
        }
        return null;
    }

    private static IEnumerable<int> Processes()
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid)) yield return pid;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
