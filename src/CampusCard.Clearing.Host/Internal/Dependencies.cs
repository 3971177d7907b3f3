using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>Which failures are a dependency out of reach (Redis, the database, the network): UNAVAILABLE, retry with the same request id.</summary>
internal static class Dependencies
{
    public static bool AreUnavailable(Exception e) => e switch
    {
        NpgsqlException or RedisException or SocketException or TimeoutException or IOException => true,
        AggregateException a => a.InnerExceptions.All(AreUnavailable),
        _ => e.InnerException is { } inner && AreUnavailable(inner),
    };
}
