using CampusCard.Clearing.Domain;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>One call of the run: the RPC, its caller, the bodies it sends (several for a client stream), and what was done to them.</summary>
public sealed record FuzzCase(long Index, RpcTarget Rpc, FuzzCaller Caller, byte[][] Messages, IReadOnlyList<string> Mutations)
{
    /// <summary>No body of the call was mutated: a valid request, which may change the journal and the hot state.</summary>
    public bool Valid => Mutations.Count == 0;
}

/// <summary>
/// The run's calls, made one after another from the seed alone (call i's choices come from a generator seeded by the run's
/// seed and i), so a seed names the same bodies every time; the calls are then sent concurrently.
/// </summary>
public sealed class FuzzPlan(int seed, IReadOnlyList<RpcTarget> rpcs, FuzzWorld world)
{
    /// <summary>One call in this many sends its seed unmutated: the valid traffic that moves the state along.</summary>
    public const int ValidEvery = 10;

    /// <summary>
    /// RPCs that read the whole journal (the run's transactions all fall on one business day): past the first calls they are
    /// drawn 1 time in <see cref="JournalWideEvery"/>, or a long run slows to a crawl as its journal grows.
    /// </summary>
    private static readonly HashSet<string> JournalWide = ["Finance.CheckHotState", "Finance.RunSettlement", "Finance.ReconcileBankFile"];
    private const int JournalWideEvery = 25;
    private const int CallsDrawnAlike = 3_000;

    private readonly Dictionary<string, List<string>> _requestIds = [];
    private readonly List<byte[]> _recent = [];
    private long _sequence;

    public string RunTag { get; } = $"s{seed}";

    public FuzzCase Next(long index)
    {
        var random = new Random(unchecked(seed * 1_000_003 + (int)index * 7_919 + (int)(index >> 32)));
        var rpc = rpcs[random.Next(rpcs.Count)];
        while (index >= CallsDrawnAlike && JournalWide.Contains(rpc.Name) && random.Next(JournalWideEvery) > 0) rpc = rpcs[random.Next(rpcs.Count)];
        var role = rpc.Roles[random.Next(rpc.Roles.Count)];
        var caller = new FuzzCaller(role, role == CallerRole.Terminal ? world.Terminals[random.Next(world.Terminals.Count)] : null);
        var subject = world.Live[random.Next(world.Live.Count)];
        var valid = random.Next(ValidEvery) == 0;
        var mutator = new BodyMutator(random);
        var count = rpc.Method.IsClientStreaming ? StreamLength(random) : 1;
        var messages = new byte[count][];
        var mutations = new List<string>();
        for (var m = 0; m < count; m++)
        {
            var fields = SeedBook.Build(rpc.Method.InputType, Context(random, caller, subject, $"fz{RunTag}-{index}-{m}"));
            if (valid || (count > 1 && random.Next(3) > 0))
            {
                messages[m] = Wire.Write(fields);
                continue;
            }
            var (body, applied) = mutator.Mutate(rpc.Method.InputType, fields, _recent);
            messages[m] = body;
            mutations.AddRange(applied);
        }
        Remember(subject, $"fz{RunTag}-{index}-0", messages);
        return new FuzzCase(index, rpc, caller, messages, mutations);
    }

    /// <summary>How many messages a client stream sends: none now and then, mostly a few, sometimes hundreds.</summary>
    private static int StreamLength(Random random) => random.Next(20) switch
    {
        0 => 0,
        1 => random.Next(100, 400),
        _ => random.Next(1, 10),
    };

    private SeedContext Context(Random random, FuzzCaller caller, FuzzHolder subject, string requestId) => new()
    {
        Random = random,
        World = world,
        Caller = caller,
        Subject = subject,
        RequestId = requestId,
        EarlierRequestIds = _requestIds.TryGetValue(subject.PersonNo, out var ids) ? ids : [],
        Sequence = ++_sequence,
        RunTag = RunTag,
    };

    private void Remember(FuzzHolder subject, string requestId, byte[][] messages)
    {
        if (!_requestIds.TryGetValue(subject.PersonNo, out var ids)) _requestIds[subject.PersonNo] = ids = [];
        ids.Add(requestId);
        if (ids.Count > 32) ids.RemoveAt(0);
        foreach (var message in messages.Where(m => m.Length < 4_096).Take(2)) _recent.Add(message);
        if (_recent.Count > 32) _recent.RemoveRange(0, _recent.Count - 32);
    }
}
