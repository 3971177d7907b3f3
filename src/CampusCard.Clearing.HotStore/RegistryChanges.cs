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
    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.KeyPrefix + "registry");

    public Task TerminalChangedAsync(string terminalId) => redis.GetSubscriber().PublishAsync(_channel, TerminalPrefix + terminalId);

    public void OnTerminalChanged(Action<string> forget) => redis.GetSubscriber().Subscribe(_channel, (_, message) =>
    {
        var text = (string?)message;
        if (text is not null && text.StartsWith(TerminalPrefix, StringComparison.Ordinal)) forget(text[TerminalPrefix.Length..]);
    });
}
