using System.Buffers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>The state of one server call over its <see cref="HttpContext"/>: deadline, messages, trailers, status.</summary>
internal sealed class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenRegistration _deadlineRegistration;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Task _lastWrite = Task.CompletedTask;
    private Task? _endCall;
    private bool _responseStarted;

    public HttpContextServerCallContext(HttpContext httpContext, GrpcServerOptions options, ILogger logger)
    {
        HttpContext = httpContext;
        _options = options;
        _logger = logger;
        httpContext.Response.ContentType = GrpcProtocolConstants.GrpcContentType;

        var timeoutHeader = httpContext.Request.Headers[GrpcProtocolConstants.TimeoutHeader];
        if (timeoutHeader.Count == 0)
        {
            return;
        }

        if (!GrpcTimeout.TryParse(timeoutHeader.ToString(), out var timeout))
        {
            Log.InvalidTimeoutIgnored(logger, timeoutHeader.ToString());
            return;
        }

        var now = DateTime.UtcNow;
        Deadline = timeout < DateTime.MaxValue - now ? now + timeout : DateTime.MaxValue;
        if (timeout <= GrpcTimeout.MaxTimerDueTime)
        {
            _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
            _deadlineRegistration = _deadlineCts.Token.UnsafeRegister(static state => ((HttpContextServerCallContext)state!).OnCancelled(), this);
            _deadlineCts.CancelAfter(timeout);
        }
    }

    public HttpContext HttpContext { get; }

    public override string Method => HttpContext.Request.Path.Value!;

    public override string Peer => HttpContext.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } address => $"ipv6:[{address}]:{HttpContext.Connection.RemotePort}",
        var address => $"ipv4:{address}:{HttpContext.Connection.RemotePort}",
    };

    public override DateTime Deadline { get; } = DateTime.MaxValue;

    public override Metadata RequestHeaders => _requestHeaders ??= MetadataHeaders.ToMetadata(HttpContext.Request.Headers);

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public override CancellationToken CancellationToken => _deadlineCts?.Token ?? HttpContext.RequestAborted;

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public ValueTask<(bool HasMessage, T Message)> ReadMessageAsync<T>(Marshaller<T> marshaller, CancellationToken cancellationToken)
        => MessageFraming.ReadMessageAsync(HttpContext.Request.BodyReader, marshaller.Deserializer, _options.MaxReceiveMessageSize, "request", cancellationToken);

    public async Task<T> ReadSingleMessageAsync<T>(Marshaller<T> marshaller)
    {
        var (hasMessage, message) = await ReadMessageAsync(marshaller, CancellationToken);
        if (!hasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The request ended without a message."));
        }

        if ((await ReadMessageAsync(marshaller, CancellationToken)).HasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
        }

        return message;
    }

    /// <summary>The response of a unary or client-streaming call, unless the handler set an error status.</summary>
    public Task WriteSingleResponseAsync<T>(T response, Marshaller<T> marshaller)
    {
        if (Status.StatusCode != StatusCode.OK)
        {
            return Task.CompletedTask;
        }

        // Not flushed: the message leaves with the trailers when the call ends.
        return response is null
            ? throw new InvalidOperationException("No message returned from method.")
            : WriteMessageAsync(response, marshaller, flush: false);
    }

    public Task WriteMessageAsync<T>(T message, Marshaller<T> marshaller, bool flush)
    {
        lock (_lock)
        {
            if (_endCall is not null)
            {
                throw new InvalidOperationException("Can't write the message because the call is complete.");
            }

            if (!_lastWrite.IsCompleted)
            {
                throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
            }

            var writer = HttpContext.Response.BodyWriter;
            writer.Write(MessageFraming.FrameMessage(message, marshaller.Serializer, _options.MaxSendMessageSize));
            _responseStarted = true;
            if (!flush)
            {
                return Task.CompletedTask;
            }

            var flushing = writer.FlushAsync(CancellationToken);
            return _lastWrite = flushing.IsCompletedSuccessfully ? Task.CompletedTask : flushing.AsTask();
        }
    }

    public Status GetStatusFromException(Exception exception)
    {
        switch (exception)
        {
            case RpcException rpcException:
                Log.RpcConnectionError(_logger, rpcException.StatusCode, rpcException.Status.Detail);
                ResponseTrailers.AddRange(rpcException.Trailers);
                return rpcException.Status;
            case var _ when CancellationToken.IsCancellationRequested:
                // Whatever a handler throws once its call is cancelled is a consequence of that.
                Log.CallCancelled(_logger, Method, exception);
                return HttpContext.RequestAborted.IsCancellationRequested ? Status.DefaultCancelled : GrpcProtocolConstants.DeadlineExceededStatus;
            default:
                Log.ErrorExecutingServiceMethod(_logger, Method, exception);
                return new Status(StatusCode.Internal, "Exception was thrown by handler.");
        }
    }

    /// <summary>
    /// Sends the status, once: the first caller wins (the handler's end or the deadline) and every caller gets the
    /// same task, so the request delegate never returns while the response is still being written.
    /// </summary>
    public Task EndCallAsync(Status status) => EndCallAsync(status, resetStream: false);

    public void Dispose()
    {
        // Waits for a deadline callback that is running, so it never outlives the request.
        _deadlineRegistration.Dispose();
        _deadlineCts?.Dispose();
    }

    private Task EndCallAsync(Status status, bool resetStream)
    {
        lock (_lock)
        {
            return _endCall ??= EndCallCoreAsync(status, resetStream, _lastWrite);
        }
    }

    private async Task EndCallCoreAsync(Status status, bool resetStream, Task pendingWrite)
    {
        // A write cut short by the deadline fails; the handler sees that, the call's status is already decided.
        await pendingWrite.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (HttpContext.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var response = HttpContext.Response;
        var destination = _responseStarted ? HttpContext.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers : response.Headers;
        if (_responseTrailers is not null)
        {
            foreach (var entry in _responseTrailers)
            {
                destination.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }

        MetadataHeaders.WriteStatus(destination, status);
        await response.CompleteAsync();
        if (resetStream)
        {
            // NO_ERROR after a complete response: tells the client to stop sending, the handler may still run.
            HttpContext.Features.Get<IHttpResetFeature>()?.Reset(0);
        }
    }

    private void OnCancelled()
    {
        if (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Log.DeadlineExceeded(_logger, Method);
            _ = EndCallAsync(GrpcProtocolConstants.DeadlineExceededStatus, resetStream: true);
        }
    }
}
