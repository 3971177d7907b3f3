using System.Globalization;

namespace CampusCard.Clearing.Grpc.Tests.TestServer;

/// <summary>Handlers of <see cref="TestMethods"/>; they report progress through the fixture's signals.</summary>
public sealed class TestService(Signals signals)
{
    public ServerServiceDefinition BindService()
        => ServerServiceDefinition.CreateBuilder()
            .AddMethod(TestMethods.Echo, (request, _) => Task.FromResult(request))
            .AddMethod(TestMethods.EchoMetadata, EchoMetadata)
            .AddMethod(TestMethods.Fail, Fail)
            .AddMethod(TestMethods.Throw, Throw)
            .AddMethod(TestMethods.WaitForCancellation, WaitForCancellation)
            .AddMethod(TestMethods.IgnoreCancellation, IgnoreCancellation)
            .AddMethod(TestMethods.Stream, Stream)
            .AddMethod(TestMethods.StreamThenFail, StreamThenFail)
            .AddMethod(TestMethods.StreamUntilCancelled, StreamUntilCancelled)
            .AddMethod(TestMethods.Concat, Concat)
            .Build();

    private static Metadata FailedTrailers() => new() { { "x-failed", "yes" } };

    private static Task<string> Fail(string request, ServerCallContext context)
        => throw new RpcException(new Status(StatusCode.FailedPrecondition, request), FailedTrailers());

    private static Task<string> Throw(string request, ServerCallContext context)
        => throw new InvalidOperationException("secret internal detail");

    private static Task<string> EchoMetadata(string request, ServerCallContext context)
    {
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            if (entry.IsBinary)
            {
                context.ResponseTrailers.Add(entry.Key, entry.ValueBytes);
            }
            else
            {
                context.ResponseTrailers.Add(entry.Key, entry.Value);
            }
        }

        context.ResponseTrailers.Add("x-header-keys", string.Join(",", context.RequestHeaders.Select(e => e.Key)));
        context.ResponseTrailers.Add("x-deadline", context.Deadline.ToString("O", CultureInfo.InvariantCulture));
        context.ResponseTrailers.Add("x-peer", context.Peer);
        if (request == "fail")
        {
            context.Status = new Status(StatusCode.Aborted, "metadata echoed");
        }

        return Task.FromResult(request);
    }

    private async Task<string> WaitForCancellation(string request, ServerCallContext context)
    {
        await WaitForCancellationAsync(request, context);
        return "not cancelled";
    }

    private async Task<string> IgnoreCancellation(string request, ServerCallContext context)
    {
        signals[$"{request}:started"].TrySetResult();
        await signals[$"{request}:release"].Task;
        return "late";
    }

    private static async Task Stream(string request, IServerStreamWriter<string> responseStream, ServerCallContext context)
    {
        var parts = request.Split(',');
        var message = new string('x', int.Parse(parts[1]));
        for (var i = 0; i < int.Parse(parts[0]); i++)
        {
            await responseStream.WriteAsync(message);
        }
    }

    private static async Task StreamThenFail(string request, IServerStreamWriter<string> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(request);
        throw new RpcException(new Status(StatusCode.DataLoss, request), FailedTrailers());
    }

    private async Task StreamUntilCancelled(string request, IServerStreamWriter<string> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync("tick");
        await WaitForCancellationAsync(request, context);
    }

    private static async Task<string> Concat(IAsyncStreamReader<string> requestStream, ServerCallContext context)
    {
        var messages = new List<string>();
        await foreach (var message in requestStream.ReadAllAsync())
        {
            messages.Add(message);
        }

        return $"{messages.Count}:{string.Concat(messages)}";
    }

    private async Task WaitForCancellationAsync(string key, ServerCallContext context)
    {
        signals[$"{key}:started"].TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            signals[$"{key}:cancelled"].TrySetResult();
            throw;
        }
    }
}
