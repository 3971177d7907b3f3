using System.Net;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Grpc;
using CampusCard.Clearing.Host.Services;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Journal;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using StackExchange.Redis;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host;

/// <summary>The composition root: configuration, Kestrel, the services and what they stand on.</summary>
public static class ClearingApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json sits beside the binaries; environment variables override it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var config = builder.Configuration;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            var listen = config.GetSection("Listen");
            var endpoint = IPEndPoint.Parse(listen["Address"] ?? "127.0.0.1:50051");
            kestrel.Listen(endpoint, options =>
            {
                options.Protocols = HttpProtocols.Http2;
                if (listen["CertificatePath"] is { Length: > 0 } certificate) options.UseHttps(certificate, listen["CertificatePassword"]);
            });
        });

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HotStoreOptions>().Bind(config.GetSection("HotStore"));
        services.AddOptions<EngineOptions>().Bind(config.GetSection("Engine"));
        services.AddOptions<ChannelOptions>().Bind(config.GetSection("Channels"));
        services.AddSingleton(_ => ConnectRedis(Required(config, "Redis")));
        services.AddSingleton(_ => OpenJournal(Required(config, "Journal")));
        services.AddSingleton<IHotStore, RedisHotStore>();
        services.AddSingleton<IJournal, PostgresJournal>();
        services.AddSingleton<IRegistry, PostgresRegistry>();
        services.AddSingleton<PostgresMigrator>();
        services.AddSingleton<ClearingPipeline>();
        services.AddSingleton<Directory>();
        services.AddSingleton<TerminalService>();
        services.AddSingleton<FundingService>();
        services.AddSingleton<CardsService>();
        services.AddSingleton<HealthServiceImpl>();
        services.AddHostedService<EngineHostedService>();
        services.AddGrpcLayer();

        var app = builder.Build();
        app.MapGrpcService(app.Services.GetRequiredService<TerminalService>().Bind());
        app.MapGrpcService(app.Services.GetRequiredService<FundingService>().Bind());
        app.MapGrpcService(app.Services.GetRequiredService<CardsService>().Bind());
        app.MapGrpcService(app.Services.GetRequiredService<HealthServiceImpl>().BindService());
        app.MapGrpcFallback();
        return app;
    }

    /// <summary>The services whose health the Health service reports, besides the server as a whole ("").</summary>
    public static readonly string[] ServiceNames = [TerminalMethods.ServiceName, FundingMethods.ServiceName, CardsMethods.ServiceName];

    private static string Required(IConfiguration config, string name) =>
        config.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"ConnectionStrings:{name} is not configured (environment variable ConnectionStrings__{name})");

    /// <summary>
    /// The journal's statements repeat on every batch (the insert, a retry's lookup), so they are
    /// prepared once per connection instead of parsed and planned per call, unless the connection
    /// string says otherwise (Max Auto Prepare).
    /// </summary>
    private static NpgsqlDataSource OpenJournal(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "").Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        return builder.Build();
    }

    private static ConnectionMultiplexer ConnectRedis(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        var redis = ConnectionMultiplexer.Connect(options);
        // Completions need not be serialised: every caller awaits its own task.
        redis.PreserveAsyncOrder = false;
        return redis;
    }
}
