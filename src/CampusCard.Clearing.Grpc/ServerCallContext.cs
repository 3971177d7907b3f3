namespace CampusCard.Clearing.Grpc;

/// <summary>What a handler knows about the call it serves, and how it sets the call's trailers and status.</summary>
public abstract class ServerCallContext
{
    /// <summary>The full name of the method: <c>/package.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The client's address, as <c>ipv4:127.0.0.1:5000</c> or <c>ipv6:[::1]:5000</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>When the call times out, in UTC; <see cref="DateTime.MaxValue"/> when it has no deadline.</summary>
    public abstract DateTime Deadline { get; }

    public abstract Metadata RequestHeaders { get; }

    public abstract Metadata ResponseTrailers { get; }

    /// <summary>Cancelled when the client cancels the call or its deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The status the call ends with when the handler returns normally.</summary>
    public abstract Status Status { get; set; }
}
