using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore;

/// <summary>
/// Tells every instance of the service that a registration changed (a terminal revoked), over Redis pub/sub,
/// so each drops its cached copy at once. A message lost in a reconnect is covered by the cache's expiry.
/// </summary>
public sealed class RegistryChanges(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options)
{
    private const string TerminalPrefix = "terminal:";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.KeyPrefix + "registry");

    /// <summary>A terminal of the campus changed: the message names it within its campus (<see cref="Domain.Campuses.Qualify"/>).</summary>
    public Task TerminalChangedAsync(short campus, string terminalId) =>
        redis.GetSubscriber().PublishAsync(_channel, TerminalPrefix + Domain.Campuses.Qualify(campus, terminalId));

    /// <summary>
    /// Subscribes in the background until Redis takes the subscription (the client fails a command at once while its
    /// connection is down, as at a start before Redis answers); the client renews it after every reconnect.
    /// </summary>
    public void OnTerminalChanged(Action<short, string> forget) => _ = Task.Run(async () =>
    {
        while (true)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
                {
                    var text = (string?)message;
                    if (text is null || !text.StartsWith(TerminalPrefix, StringComparison.Ordinal)) return;
                    var (campus, terminalId) = Domain.Campuses.Unqualify(text[TerminalPrefix.Length..]);
                    forget(campus, terminalId);
                });
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(RetryDelay);
            }
        }
    });
}
