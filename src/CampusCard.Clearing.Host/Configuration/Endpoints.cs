using System.Net;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>The addresses Kestrel listens on: an IP address and a port, written out.</summary>
internal static class Endpoints
{
    public const string Expected = "an IP address and a port, as 127.0.0.1:50051 or [::]:50051";

    /// <summary>The endpoint <paramref name="text"/> names, or null when it is not an IP address followed by its port (port 0: any free one).</summary>
    public static IPEndPoint? Parse(string? text) =>
        IPEndPoint.TryParse(text ?? "", out var endpoint) && text!.EndsWith($":{endpoint.Port}", StringComparison.Ordinal) ? endpoint : null;
}
