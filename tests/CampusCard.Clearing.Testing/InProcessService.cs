using CampusCard.Clearing.Host;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CampusCard.Clearing.Testing;

/// <summary>
/// The real clearing service, in this process on a loopback port of its own, over a scratch database
/// and a Redis key prefix, with a channel to call it; started once it reports SERVING.
/// </summary>
public sealed class InProcessService : IAsyncDisposable
{
    private InProcessService(WebApplication app, string address, GrpcChannel channel)
    {
        App = app;
        Address = address;
        Channel = channel;
    }

    public WebApplication App { get; }
    public string Address { get; }
    public GrpcChannel Channel { get; }

    /// <summary>What every in-process service needs; later settings of the same key win.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> BaseSettings(ScratchJournal database, string keyPrefix) =>
    [
        new("Listen:Address", "127.0.0.1:0"),
        new("ConnectionStrings:Redis", LocalServers.RedisConnectionString),
        new("ConnectionStrings:Journal", database.ConnectionString),
        new("Journal:Provider", database.Provider),
        new("HotStore:KeyPrefix", keyPrefix),
        new("Auth:PublicKeyPath", TestCredentials.KeyPath),
        new("Metrics:Address", ""),
        // PINs and ID numbers are hashed as in production, with fewer iterations: tests open thousands of accounts.
        new("Cards:SecretHashIterations", "1000"),
        // The settlement schedule runs where a test asks for it (SettlementTests).
        new("Finance:SettlementInterval", "00:00:00"),
        new("Finance:HotStateCheckInterval", "00:00:00"),
        new("Logging:LogLevel:Default", "Error"),
    ];

    public static async Task<InProcessService> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> settings,
        Action<IServiceCollection>? services = null,
        Func<string, GrpcChannel>? channel = null)
    {
        var app = ClearingApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings.GroupBy(s => s.Key).Select(g => g.Last()));
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        // The gRPC endpoint is the first; a metrics endpoint, when configured, comes after it.
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var service = new InProcessService(app, address, (channel ?? (a => GrpcChannel.ForAddress(a)))(address));
        await service.WaitUntilServingAsync();
        return service;
    }

    private async Task WaitUntilServingAsync()
    {
        var health = new Health.HealthClient(Channel);
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the service did not report SERVING within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops the server first, so calls in flight get an answer or a status, then the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Channel.Dispose();
    }
}
