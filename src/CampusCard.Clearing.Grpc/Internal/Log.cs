using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Grpc.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Error when executing service method '{ServiceMethod}'.", EventName = "ErrorExecutingServiceMethod")]
    public static partial void ErrorExecutingServiceMethod(ILogger logger, string serviceMethod, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Error status code '{StatusCode}' with detail '{Detail}' raised.", EventName = "RpcConnectionError")]
    public static partial void RpcConnectionError(ILogger logger, StatusCode statusCode, string detail);

    [LoggerMessage(3, LogLevel.Debug, "Call '{ServiceMethod}' ended by cancellation.", EventName = "CallCancelled")]
    public static partial void CallCancelled(ILogger logger, string serviceMethod, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Deadline of call '{ServiceMethod}' exceeded.", EventName = "DeadlineExceeded")]
    public static partial void DeadlineExceeded(ILogger logger, string serviceMethod);

    [LoggerMessage(5, LogLevel.Debug, "Invalid grpc-timeout header value '{Timeout}' was ignored.", EventName = "InvalidTimeoutIgnored")]
    public static partial void InvalidTimeoutIgnored(ILogger logger, string timeout);

    [LoggerMessage(6, LogLevel.Information, "Request content-type of '{ContentType}' is not supported.", EventName = "UnsupportedRequestContentType")]
    public static partial void UnsupportedRequestContentType(ILogger logger, string? contentType);

    [LoggerMessage(7, LogLevel.Information, "Request protocol of '{Protocol}' is not supported.", EventName = "UnsupportedRequestProtocol")]
    public static partial void UnsupportedRequestProtocol(ILogger logger, string protocol);
}
