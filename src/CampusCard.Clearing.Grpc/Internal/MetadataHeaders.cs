using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>Converts between <see cref="Metadata"/> and HTTP headers, and writes and reads the call status.</summary>
internal static class MetadataHeaders
{
    // HTTP/2 and gRPC protocol headers that are not user metadata, as in grpc-dotnet.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type",
        "content-encoding",
        "content-length",
        "te",
        "host",
        "accept-encoding",
        GrpcProtocolConstants.TimeoutHeader,
        "grpc-encoding",
        "grpc-accept-encoding",
        GrpcProtocolConstants.StatusTrailer,
        GrpcProtocolConstants.MessageTrailer,
    };

    public static Metadata ToMetadata<TValues>(IEnumerable<KeyValuePair<string, TValues>> headers)
        where TValues : IEnumerable<string?>
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            if (key.StartsWith(':') || ReservedHeaders.Contains(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                metadata.AddFromWire(key, value ?? "");
            }
        }

        return metadata;
    }

    /// <summary>The header value of an entry: binary values are base64, unpadded as the spec prefers.</summary>
    public static string ToHeaderValue(Metadata.Entry entry)
        => entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    public static void WriteStatus(IHeaderDictionary headers, Status status)
    {
        headers[GrpcProtocolConstants.StatusTrailer] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(status.Detail);
        }
    }

    public static Status? ReadStatus(System.Net.Http.Headers.HttpHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(GrpcProtocolConstants.StatusTrailer, out var statusValues))
        {
            return null;
        }

        var code = int.TryParse(statusValues.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && Enum.IsDefined((StatusCode)value)
            ? (StatusCode)value
            : StatusCode.Unknown;
        var detail = headers.NonValidated.TryGetValues(GrpcProtocolConstants.MessageTrailer, out var messageValues)
            ? PercentEncoding.Decode(messageValues.ToString())
            : "";
        return new Status(code, detail);
    }
}
