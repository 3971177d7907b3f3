namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>
/// CPU time of each party to a run, from /proc. A group is a root process and its children: the
/// children's own time plus what the root collected from children that ended (a PostgreSQL backend
/// that exits mid-run still counts).
/// </summary>
public sealed class CpuSampler
{
    public const string Service = "service";
    public const string Redis = "redis-server";
    public const string Postgres = "postgres";
    public const string LoadGen = "loadgen";

    private readonly Dictionary<string, int> _roots = new(StringComparer.Ordinal);

    public CpuSampler(int? servicePid, int servicePort, int redisPort, int postgresPort)
    {
        if ((servicePid ?? ProcessFinder.ListeningOn(servicePort, "CampusCard.Clearing.Host")) is { } service) _roots[Service] = service;
        if (ProcessFinder.ListeningOn(redisPort, "redis-server") is { } redis) _roots[Redis] = redis;
        if (ProcessFinder.ListeningOn(postgresPort, "postgres") is { } postgres) _roots[Postgres] = postgres;
        _roots[LoadGen] = Environment.ProcessId;
    }

    public IReadOnlyDictionary<string, int> Roots => _roots;

    /// <summary>Clock ticks used so far by each group found.</summary>
    public Dictionary<string, long> Sample()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, root) in _roots)
        {
            long sum = 0;
            foreach (var pid in ProcessFinder.WithChildren(root))
            {
                if (ProcStat.Read(pid) is not { } stat) continue;
                sum += stat.OwnTicks + (pid == root ? stat.ReapedChildTicks : 0);
            }
            ticks[name] = sum;
        }
        return ticks;
    }

    public static Dictionary<string, double> SecondsBetween(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, end) in after) seconds[name] = (end - before.GetValueOrDefault(name)) / ProcStat.TicksPerSecond;
        return seconds;
    }
}
