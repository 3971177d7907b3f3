using System.Collections.Concurrent;
using System.Text;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>What the HTTP/2 frame fuzzer sent and how the server ended each connection and stream.</summary>
public sealed class FrameReport
{
    private readonly ConcurrentDictionary<string, long> _mutations = new();
    private readonly ConcurrentDictionary<string, long> _outcomes = new();
    private readonly ConcurrentDictionary<string, long> _grpcStatuses = new();
    private long _connections;
    private long _frames;

    public long Connections => Interlocked.Read(ref _connections);
    public long Frames => Interlocked.Read(ref _frames);
    public IReadOnlyDictionary<string, long> GrpcStatuses => _grpcStatuses;

    public void Connection(IEnumerable<string> mutations, long frames, IEnumerable<string> outcomes, IEnumerable<string> grpcStatuses)
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Add(ref _frames, frames);
        foreach (var m in mutations) _mutations.AddOrUpdate(m, 1, (_, n) => n + 1);
        foreach (var o in outcomes) _outcomes.AddOrUpdate(o, 1, (_, n) => n + 1);
        foreach (var s in grpcStatuses) _grpcStatuses.AddOrUpdate(s, 1, (_, n) => n + 1);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"HTTP/2: {Connections:N0} connections, {Frames:N0} frames sent");
        text.AppendLine("frame mutations: " + Join(_mutations));
        text.AppendLine("the server's answers: " + Join(_outcomes));
        text.AppendLine("gRPC statuses of the streams answered: " + Join(_grpcStatuses));
        return text.ToString();
    }

    private static string Join(ConcurrentDictionary<string, long> counts) =>
        counts.IsEmpty ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N0}"));
}
