using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>One client call: sends the request, reads the response messages and turns the outcome into a status.</summary>
internal sealed class GrpcCall<TRequest, TResponse> : IDisposable
{
    private static readonly MediaTypeHeaderValue GrpcContentTypeHeader = new(GrpcProtocolConstants.GrpcContentType);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly DateTime? _deadline;
    private readonly CancellationTokenSource? _deadlineCts;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private PipeReader? _responseReader;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        _channel = channel;
        _method = method;
        _options = options;
        if (options.Deadline is not { } deadline || deadline == DateTime.MaxValue)
        {
            return;
        }

        _deadline = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
        var timeout = _deadline.Value - DateTime.UtcNow;
        _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (timeout <= GrpcTimeout.MaxTimerDueTime)
        {
            _deadlineCts.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        }
    }

    private CancellationToken CancellationToken => _deadlineCts?.Token ?? _options.CancellationToken;

    public HttpContent CreateUnaryContent(TRequest request)
        => new ByteArrayContent(MessageFraming.FrameMessage(request, _method.RequestMarshaller.Serializer, _channel.MaxSendMessageSize).ToArray());

    public HttpContent CreateStreamingContent(IAsyncEnumerable<TRequest> requests)
        => new ClientStreamingContent<TRequest>(requests, _method.RequestMarshaller, _channel.MaxSendMessageSize, CancellationToken);

    /// <summary>Sends the request and checks the response headers; a trailers-only response ends the call here.</summary>
    public async Task SendAsync(HttpContent content)
    {
        // Kept until the call ends: a client stream may still be sending its body after the response has started.
        var request = _request = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = GrpcContentTypeHeader;
        request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.TEHeader, GrpcProtocolConstants.TEHeaderValue);
        if (_deadline is { } deadline)
        {
            var timeout = deadline - DateTime.UtcNow;
            if (timeout <= TimeSpan.Zero)
            {
                throw new RpcException(GrpcProtocolConstants.DeadlineExceededStatus);
            }

            request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        if (_options.Headers is { } headers)
        {
            foreach (var entry in headers)
            {
                request.Headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }

        try
        {
            _response = await _channel.Invoker.SendAsync(request, CancellationToken).ConfigureAwait(false);
            if (MetadataHeaders.ReadStatus(_response.Headers) is { } trailersOnlyStatus)
            {
                ThrowIfError(trailersOnlyStatus, _response.Headers);
                return;
            }

            ValidateResponseHeaders(_response);
            _responseReader = PipeReader.Create(await _response.Content.ReadAsStreamAsync(CancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (TryCreateRpcException(ex, out var rpcException))
        {
            throw rpcException;
        }
    }

    /// <summary>Reads the next response message; at the end of the response, throws if the status is not OK.</summary>
    public async ValueTask<(bool HasMessage, TResponse Message)> ReadMessageAsync()
    {
        if (_responseReader is null)
        {
            return (false, default!);
        }

        try
        {
            var result = await MessageFraming.ReadMessageAsync(
                _responseReader, _method.ResponseMarshaller.Deserializer, _channel.MaxReceiveMessageSize, "response", CancellationToken).ConfigureAwait(false);
            if (!result.HasMessage)
            {
                var trailers = _response!.TrailingHeaders;
                ThrowIfError(MetadataHeaders.ReadStatus(trailers) ?? new Status(StatusCode.Internal, "No grpc-status found on response."), trailers);
            }

            return result;
        }
        catch (Exception ex) when (TryCreateRpcException(ex, out var rpcException))
        {
            throw rpcException;
        }
    }

    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var (hasMessage, message) = await ReadMessageAsync().ConfigureAwait(false);
        if (!hasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The response ended without a message."));
        }

        if ((await ReadMessageAsync().ConfigureAwait(false)).HasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
        }

        return message;
    }

    public void Dispose()
    {
        // Completing the reader before the response has ended resets the HTTP/2 stream, which cancels the call on the server.
        _responseReader?.Complete();
        _response?.Dispose();
        _request?.Dispose();
        _deadlineCts?.Dispose();
    }

    private static void ThrowIfError(Status status, HttpHeaders headers)
    {
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, MetadataHeaders.ToMetadata(headers.NonValidated));
        }
    }

    private static void ValidateResponseHeaders(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(new Status(FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}"));
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocolConstants.IsGrpcContentType(contentType))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"));
        }
    }

    // The spec's mapping for responses that carry no grpc-status.
    private static StatusCode FromHttpStatus(HttpStatusCode statusCode) => statusCode switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    // The spec's mapping for RST_STREAM error codes.
    private static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusCode.Unavailable, // REFUSED_STREAM
        0x8 => StatusCode.Cancelled, // CANCEL
        0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
        0xC => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
        _ => StatusCode.Internal,
    };

    private bool TryCreateRpcException(Exception exception, [NotNullWhen(true)] out RpcException? rpcException)
    {
        rpcException = exception switch
        {
            RpcException => null,
            { InnerException: RpcException inner } => inner,
            _ => GetStatus(exception) is { } status ? new RpcException(status, new Metadata(), exception) : null,
        };
        return rpcException is not null;
    }

    private Status? GetStatus(Exception exception)
    {
        if (_options.CancellationToken.IsCancellationRequested)
        {
            return new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }

        if (_deadlineCts?.IsCancellationRequested == true)
        {
            return GrpcProtocolConstants.DeadlineExceededStatus;
        }

        if ((exception as HttpProtocolException ?? exception.InnerException as HttpProtocolException) is { } reset)
        {
            return new Status(FromHttp2ErrorCode(reset.ErrorCode), $"The server reset the HTTP/2 stream: {reset.Message}");
        }

        return exception is HttpRequestException or IOException
            ? new Status(StatusCode.Unavailable, $"Error talking to the server: {exception.Message}")
            : null;
    }
}
