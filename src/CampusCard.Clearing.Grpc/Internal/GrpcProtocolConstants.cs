namespace CampusCard.Clearing.Grpc.Internal;

internal static class GrpcProtocolConstants
{
    public const string GrpcContentType = "application/grpc";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string TEHeader = "te";
    public const string TEHeaderValue = "trailers";
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    public static readonly Status DeadlineExceededStatus = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    // application/grpc, optionally followed by +proto, +json, ... or parameters.
    public static bool IsGrpcContentType(string? contentType)
        => contentType is not null
            && contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase)
            && (contentType.Length == GrpcContentType.Length || contentType[GrpcContentType.Length] is '+' or ';');
}
