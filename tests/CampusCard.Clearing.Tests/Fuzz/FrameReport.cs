using System.Collections.Concurrent;
using System.Text;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>A gRPC status over a mutated connection that is INTERNAL or UNKNOWN, with the bytes that were sent.</summary>
public sealed record FrameFinding(long Index, string Rpc, string Status, string Message, IReadOnlyList<string> Mutations, string Hex);

/// <summary>What the HTTP/2 frame fuzzer sent and how the server ended each connection and stream.</summary>
public sealed class FrameReport
{
    /// <summary>
    /// The answers Grpc.AspNetCore itself gives, before any code of the service runs, to a gRPC framing no client library
    /// writes: a length prefix longer than the body, bytes after a unary message, the compressed flag without an encoding.
    /// INTERNAL is the gRPC specification's code for such a protocol violation (doc/statuscodes.md); they are counted, not findings.
    /// </summary>
    public static readonly string[] FramingAnswers =
    [
        "Incomplete message.", "Additional data after the message received.", "Request did not include grpc-encoding value with compressed message.",
        "Request sent 'identity' grpc-encoding value with compressed message.",
    ];

    /// <summary>
    /// Framings Grpc.AspNetCore answers UNKNOWN in a unary or server-streaming call, logging an error of its own (category
    /// Grpc.AspNetCore.Server.ServerCallHandler), because its reader throws an exception that is not an RpcException before
    /// any code of the service runs: a compressed flag other than 0 and 1, a compressed message that does not inflate
    /// (InvalidDataException), a length prefix past 2^31 − 1 (IOException "Message too large"). No client library writes
    /// them; there is no hook before that reader (docs/fuzzing.md). In a client stream the service reads them: INVALID_ARGUMENT.
    /// </summary>
    public static readonly string[] FrameworkUnknownMutations = ["grpc.compressed-flag", "grpc.oversize-prefix"];

    /// <summary>
    /// The errors Grpc.AspNetCore logs itself while it reads a unary request, before the service's interceptor (which turns
    /// every exception into a status) is called: those framings (InvalidDataException, IOException "Message too large"), and
    /// a client that resets its stream or breaks its connection mid-request (IOException); nothing is answered to those.
    /// </summary>
    public static bool IsFrameworkError(string category, Exception? exception) =>
        category == "Grpc.AspNetCore.Server.ServerCallHandler" && exception is InvalidDataException or IOException;

    /// <summary>Grpc.AspNetCore's HTTP 415 to a content-type that is not gRPC's, which carries grpc-status INTERNAL.</summary>
    private static bool IsContentTypeRefusal(string message) =>
        message.StartsWith("Content-Type '", StringComparison.Ordinal) && message.EndsWith("' is not supported.", StringComparison.Ordinal);

    private const int FindingsKept = 20;

    private readonly ConcurrentDictionary<string, long> _mutations = new();
    private readonly ConcurrentDictionary<string, long> _outcomes = new();
    private readonly ConcurrentDictionary<string, long> _statuses = new();
    private readonly ConcurrentQueue<FrameFinding> _findings = new();
    private long _connections;
    private long _frames;

    public long Connections => Interlocked.Read(ref _connections);
    public long Frames => Interlocked.Read(ref _frames);
    public IReadOnlyList<FrameFinding> Findings => _findings.ToList();
    /// <summary>Calls answered, by gRPC status (framework framing answers named as such).</summary>
    public IReadOnlyDictionary<string, long> Statuses => _statuses;

    public void Connection(FuzzCase call, FrameScript script, IEnumerable<string> outcomes, IEnumerable<(string Status, string Message)> statuses)
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Add(ref _frames, script.Frames.Count);
        foreach (var m in script.Mutations) _mutations.AddOrUpdate(m, 1, (_, n) => n + 1);
        foreach (var o in outcomes) _outcomes.AddOrUpdate(o, 1, (_, n) => n + 1);
        foreach (var (status, message) in statuses)
        {
            var framing = (status == "Internal" && (FramingAnswers.Contains(message) || IsContentTypeRefusal(message)))
                || (status == "Unknown" && script.Mutations.Intersect(FrameworkUnknownMutations).Any());
            _statuses.AddOrUpdate(framing ? $"{status} ({message.TrimEnd('.')}, Grpc.AspNetCore's framing check)" : status, 1, (_, n) => n + 1);
            if (status is "Internal" or "Unknown" && !framing && _findings.Count < FindingsKept)
                _findings.Enqueue(new FrameFinding(call.Index, call.Rpc.Name, status, message, script.Mutations, Convert.ToHexString(script.ToBytes().Take(2_048).ToArray())));
        }
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"HTTP/2: {Connections:N0} connections, {Frames:N0} frames sent");
        text.AppendLine();
        text.AppendLine("frame mutations: " + Join(_mutations));
        text.AppendLine();
        text.AppendLine("how the server ended them: " + Join(_outcomes));
        text.AppendLine();
        text.AppendLine("gRPC statuses of the calls it answered: " + Join(_statuses));
        text.AppendLine();
        text.AppendLine(_findings.IsEmpty ? "frame findings: none" : $"frame findings: {_findings.Count}");
        foreach (var f in _findings)
            text.AppendLine($"- connection {f.Index} ({f.Rpc}): {f.Status} \"{f.Message}\" after [{string.Join(", ", f.Mutations)}], sent {f.Hex[..Math.Min(f.Hex.Length, 400)]}…");
        return text.ToString();
    }

    private static string Join(ConcurrentDictionary<string, long> counts) =>
        counts.IsEmpty ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N0}"));
}
