using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore;

/// <summary>
/// Tells every instance of the service that a registration changed (a terminal revoked, a campus's settings), over Redis
/// pub/sub, so each drops its cached copy at once. A message lost in a reconnect is covered by the cache's expiry.
/// </summary>
public sealed class RegistryChanges(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options)
{
    private const string TerminalPrefix = "terminal:";
    private const string CampusPrefix = "campus:";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.KeyPrefix + "registry");

    /// <summary>A terminal of the campus changed: the message names it within its campus (<see cref="Domain.Campuses.Qualify"/>).</summary>
    public Task TerminalChangedAsync(short campus, string terminalId) =>
        redis.GetSubscriber().PublishAsync(_channel, TerminalPrefix + Domain.Campuses.Qualify(campus, terminalId));

    /// <summary>
    /// Subscribes in the background until Redis takes the subscription (the client fails a command at once while its
    /// connection is down, as at a start before Redis answers); the client renews it after every reconnect.
    /// </summary>
    /// <summary>A campus's settings changed: every instance reads them again.</summary>
    public Task CampusChangedAsync(short campus) =>
        redis.GetSubscriber().PublishAsync(_channel, CampusPrefix + campus.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void OnChange(Action<short, string> forgetTerminal, Action<short> campusChanged) => _ = Task.Run(async () =>
    {
        while (true)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
                {
                    var text = (string?)message;
                    if (text is null) return;
                    if (text.StartsWith(CampusPrefix, StringComparison.Ordinal) && short.TryParse(text.AsSpan(CampusPrefix.Length), out var changed)) campusChanged(changed);
                    if (!text.StartsWith(TerminalPrefix, StringComparison.Ordinal)) return;
                    var (campus, terminalId) = Domain.Campuses.Unqualify(text[TerminalPrefix.Length..]);
                    forgetTerminal(campus, terminalId);
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
