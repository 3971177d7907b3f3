using Grpc.Core;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// Sends a plan's calls over one channel, several at once, each with its caller's real token; records the status of every
/// call and keeps each INTERNAL or UNKNOWN with its bodies. Server streams are read briefly and then cancelled by the fuzzer.
/// </summary>
public sealed class BodyFuzzer(GrpcChannel channel, FuzzReport report)
{
    /// <summary>Calls in flight at once.</summary>
    public const int Concurrency = 8;

    /// <summary>The label of a server stream still open when the fuzzer cancelled it (what a well-behaved watch does).</summary>
    public const string CancelledEarly = "open, cancelled by the fuzzer";

    /// <summary>The label of a call the client could not finish (a reply its HTTP/2 stack refused, say): a finding too.</summary>
    public const string ClientFailure = "client failed: ";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public Task SendAllAsync(IEnumerable<FuzzCase> cases, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (call, _) => await SendAsync(call));

    public async Task SendAsync(FuzzCase call)
    {
        var (status, message) = await CallAsync(call);
        report.Record(call, status, message);
        if (status is nameof(StatusCode.Internal) or nameof(StatusCode.Unknown) || status.StartsWith(ClientFailure, StringComparison.Ordinal)
            || message?.StartsWith("reply does not parse", StringComparison.Ordinal) == true)
            report.Find(call, status, message ?? "");
    }

    private async Task<(string Status, string? Message)> CallAsync(FuzzCase call)
    {
        using var cancel = new CancellationTokenSource();
        var options = new CallOptions(new Metadata { { "authorization", "Bearer " + call.Caller.Token } }, DateTime.UtcNow.Add(Deadline), cancel.Token);
        var invoker = channel.CreateCallInvoker();
        try
        {
            switch (call.Rpc.Type)
            {
                case MethodType.Unary:
                    return Parsed(call, await invoker.AsyncUnaryCall(call.Rpc.Raw, null, options, call.Messages[0]));
                case MethodType.ClientStreaming:
                    using (var stream = invoker.AsyncClientStreamingCall(call.Rpc.Raw, null, options))
                    {
                        await WriteAllAsync(stream.RequestStream, call.Messages);
                        return Parsed(call, await stream.ResponseAsync);
                    }
                case MethodType.ServerStreaming:
                    using (var stream = invoker.AsyncServerStreamingCall(call.Rpc.Raw, null, options, call.Messages[0]))
                    {
                        return await ReadBrieflyAsync(call, stream.ResponseStream, stream.GetStatus, cancel);
                    }
                default:
                    using (var stream = invoker.AsyncDuplexStreamingCall(call.Rpc.Raw, null, options))
                    {
                        await WriteAllAsync(stream.RequestStream, call.Messages);
                        return await ReadBrieflyAsync(call, stream.ResponseStream, stream.GetStatus, cancel);
                    }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancel.IsCancellationRequested)
        {
            return (CancelledEarly, null);
        }
        catch (RpcException e)
        {
            // A status made by the client (the stream was reset, the connection dropped) carries the exception behind it.
            return (e.StatusCode.ToString(), e.Status.DebugException is { } cause ? $"client-side: {cause.GetType().Name}: {cause.Message}" : e.Status.Detail);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (ClientFailure + e.GetType().Name, e.Message);
        }
    }

    /// <summary>Writes the client stream; the server may end the call before it is all sent (a bad message refuses the upload).</summary>
    private static async Task WriteAllAsync(IClientStreamWriter<byte[]> requests, byte[][] messages)
    {
        try
        {
            foreach (var message in messages) await requests.WriteAsync(message);
            await requests.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The call's status, read next, tells why.
        }
    }

    /// <summary>Reads up to three messages of a server stream, 300 ms at most for each, then cancels it.</summary>
    private static async Task<(string, string?)> ReadBrieflyAsync(FuzzCase call, IAsyncStreamReader<byte[]> responses, Func<Status> status, CancellationTokenSource cancel)
    {
        for (var read = 0; read < 3; read++)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            var next = responses.MoveNext(wait.Token);
            if (await Task.WhenAny(next, Task.Delay(300)) != next)
            {
                await cancel.CancelAsync();
                try
                {
                    await next;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                {
                }
                return (CancelledEarly, null);
            }
            if (!await next) return (status().StatusCode.ToString(), status().Detail);
            if (Unparsable(call, responses.Current) is { } why) return ("OK", why);
        }
        await cancel.CancelAsync();
        return (CancelledEarly, null);
    }

    private static (string, string?) Parsed(FuzzCase call, byte[] reply) => ("OK", Unparsable(call, reply));

    /// <summary>The service's reply must be a message of the RPC's output type.</summary>
    private static string? Unparsable(FuzzCase call, byte[] reply)
    {
        try
        {
            call.Rpc.Method.OutputType.Parser.ParseFrom(reply);
            return null;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            return $"reply does not parse as {call.Rpc.Method.OutputType.Name}: {e.Message}";
        }
    }
}
