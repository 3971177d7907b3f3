namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>
/// CPU time of each kind of process in a run, from /proc. A kind is one or more root processes (every service
/// instance, every node of a Redis Cluster) and their children: the children's own time plus what each root
/// collected from children that ended (a PostgreSQL backend that exits mid-run still counts).
/// </summary>
public sealed class CpuSampler
{
    public const string Service = "service";
    public const string Redis = "redis-server";
    public const string Postgres = "postgres";
    public const string HAProxy = "haproxy";
    public const string LoadGen = "loadgen";

    /// <summary>Every kind, in the order reports list them.</summary>
    public static readonly string[] Kinds = [Service, Redis, Postgres, HAProxy, LoadGen];

    private readonly Dictionary<string, IReadOnlyList<int>> _roots = new(StringComparer.Ordinal);

    /// <param name="servicePids">The service instances; when empty, the process listening on <paramref name="servicePort"/>.</param>
    /// <param name="redisPorts">Every Redis node's port (a cluster's masters and replicas).</param>
    public CpuSampler(IReadOnlyList<int> servicePids, int servicePort, IEnumerable<int> redisPorts, int postgresPort, int? haproxyPid)
    {
        Add(Service, servicePids.Count > 0 ? servicePids : ProcessFinder.ListeningOn([servicePort], "CampusCard.Clearing.Host"));
        Add(Redis, ProcessFinder.ListeningOn(redisPorts, "redis-server"));
        Add(Postgres, ProcessFinder.ListeningOn([postgresPort], "postgres"));
        Add(HAProxy, haproxyPid is { } haproxy ? [haproxy] : []);
        Add(LoadGen, [Environment.ProcessId]);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<int>> Roots => _roots;

    /// <summary>Clock ticks used so far by each kind found.</summary>
    public Dictionary<string, long> Sample()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, roots) in _roots) ticks[kind] = roots.Sum(TicksOf);
        return ticks;
    }

    public static Dictionary<string, double> SecondsBetween(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, end) in after) seconds[name] = (end - before.GetValueOrDefault(name)) / ProcStat.TicksPerSecond;
        return seconds;
    }

    private void Add(string kind, IReadOnlyList<int> roots)
    {
        if (roots.Count > 0) _roots[kind] = roots;
    }

    private static long TicksOf(int root)
    {
        long sum = 0;
        foreach (var pid in ProcessFinder.WithChildren(root))
        {
            if (ProcStat.Read(pid) is not { } stat) continue;
            sum += stat.OwnTicks + (pid == root ? stat.ReapedChildTicks : 0);
        }
        return sum;
    }
}
