using System.Net;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Internal;
using CampusCard.Clearing.Host.Security;
using CampusCard.Clearing.Host.Services;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Journal.SqlServer;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Metrics;
using StackExchange.Redis;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host;

/// <summary>The composition root: configuration, Kestrel, the gRPC services and what they stand on.</summary>
public static class ClearingApp
{
    /// <summary>The largest message a caller may send (a DebitBatch of 1,000 items is about 100 KB).</summary>
    public const int MaxReceiveMessageSize = 1024 * 1024;

    public const int MaxSendMessageSize = 4 * 1024 * 1024;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json sits beside the binaries; environment variables override it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var config = builder.Configuration;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var http2 = kestrel.Limits.Http2;
            // Terminals multiplex their calls over few connections; a concentrator may have many in flight.
            http2.MaxStreamsPerConnection = 1000;
            // Idle terminal connections are pinged, so a dead peer (a pulled cable) is noticed and its streams end.
            http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            kestrel.Limits.MaxRequestBodySize = MaxReceiveMessageSize + 64 * 1024;
            var listen = config.GetSection("Listen");
            var endpoint = IPEndPoint.Parse(listen["Address"] ?? "127.0.0.1:50051");
            kestrel.Listen(endpoint, options =>
            {
                options.Protocols = HttpProtocols.Http2;
                if (listen["CertificatePath"] is { Length: > 0 } certificate) options.UseHttps(certificate, listen["CertificatePassword"]);
            });
            // Prometheus scrapes over HTTP/1.1, on a port of its own that serves nothing else.
            if (MetricsEndpoint(config) is { } metrics) kestrel.Listen(metrics, options => options.Protocols = HttpProtocols.Http1);
        });

        var services = builder.Services;
        // Tests put their own clock, registry or journal in first; TryAdd keeps them.
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HotStoreOptions>().Bind(config.GetSection("HotStore"));
        services.AddOptions<EngineOptions>().Bind(config.GetSection("Engine"));
        services.AddOptions<ChannelOptions>().Bind(config.GetSection("Channels"));
        services.AddOptions<Domain.CardRules>().Bind(config.GetSection("Cards"));
        services.AddSingleton(_ => ConnectRedis(Required(config, "Redis")));
        services.TryAddSingleton<IHotStore, RedisHotStore>();
        AddJournal(services, config);
        services.AddSingleton<ClearingEngine>();
        services.AddSingleton<Directory>();
        services.AddSingleton<CardSecrets>();
        services.AddSingleton<CardOffice>();
        services.AddSingleton<CardStatusFeed>();
        services.AddSingleton<Subsidies>();
        services.AddSingleton<PaymentDesk>();
        services.AddSingleton<AutoTopUps>();
        services.AddSingleton<OfflineRecords>();
        services.AddSingleton<Settlements>();
        services.AddSingleton<CardholderStatements>();
        services.AddOptions<FinanceOptions>().Bind(config.GetSection("Finance"));
        services.AddHostedService<SettlementSchedule>();
        services.AddSingleton<Reconciliation>();
        services.AddHostedService<ReconciliationSchedule>();
        services.AddSingleton<RegistryChanges>();
        services.AddSingleton<HealthServiceImpl>();
        // The service classes and the interceptor hold no per-call state: one instance each, not one built per call.
        services.AddSingleton<CallMetrics>();
        services.AddSingleton<CallInterceptor>();
        services.AddSingleton<TerminalService>();
        services.AddSingleton<FundingService>();
        services.AddSingleton<CardsService>();
        services.AddSingleton<KioskService>();
        services.AddSingleton<PaymentsService>();
        services.AddSingleton<FinanceService>();
        services.AddSingleton<StatementsService>();
        services.AddHostedService<EngineHostedService>();
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = MaxSendMessageSize;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<CallInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddStrictRequestParsing();
        services.AddCallerAuthentication(config);
        // System.Runtime: the runtime's own meter (GC, allocation, thread pool, lock contention), for operators.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ClearingEngine.MeterName, CallMetrics.MeterName, "System.Runtime")
            .AddPrometheusExporter());

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<TerminalService>();
        app.MapGrpcService<FundingService>();
        app.MapGrpcService<CardsService>();
        app.MapGrpcService<KioskService>();
        app.MapGrpcService<PaymentsService>();
        app.MapGrpcService<FinanceService>();
        app.MapGrpcService<StatementsService>();
        app.MapGrpcService<HealthServiceImpl>().AllowAnonymous();
        var open = config.GetValue<bool>("Auth:OpenOperatorEndpoints");
        var reflection = app.MapGrpcReflectionService();
        if (open) reflection.AllowAnonymous();
        else reflection.RequireAuthorization(Roles.OperatorPolicy);
        if (MetricsEndpoint(config) is { } metrics)
        {
            var scrape = app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{metrics.Port}");
            if (open) scrape.AllowAnonymous();
            else scrape.RequireAuthorization(Roles.OperatorPolicy);
        }
        app.Services.GetRequiredService<RegistryChanges>().OnTerminalChanged(app.Services.GetRequiredService<Directory>().ForgetTerminal);
        return app;
    }

    /// <summary>The services whose health the Health service reports, besides the server as a whole ("").</summary>
    public static readonly string[] ServiceNames =
    [
        Contracts.V1.Terminal.Descriptor.FullName,
        Contracts.V1.Funding.Descriptor.FullName,
        Contracts.V1.Cards.Descriptor.FullName,
        Contracts.V1.Kiosk.Descriptor.FullName,
        Contracts.V1.Payments.Descriptor.FullName,
        Contracts.V1.Finance.Descriptor.FullName,
        Contracts.V1.Statements.Descriptor.FullName,
    ];

    /// <summary>Where the Prometheus endpoint listens (Metrics:Address, default 127.0.0.1:9464); none when the setting is empty.</summary>
    private static IPEndPoint? MetricsEndpoint(IConfiguration config) =>
        config["Metrics:Address"] is { } address ? address.Length == 0 ? null : IPEndPoint.Parse(address) : IPEndPoint.Parse("127.0.0.1:9464");

    private static string Required(IConfiguration config, string name) =>
        config.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"ConnectionStrings:{name} is not configured (environment variable ConnectionStrings__{name})");

    /// <summary>The journal providers Journal:Provider (environment variable Journal__Provider) chooses from.</summary>
    public enum JournalProvider { Postgres, SqlServer }

    /// <summary>Journal:Provider: Postgres (the default) or SqlServer; anything else is a configuration error.</summary>
    public static JournalProvider ChosenJournalProvider(IConfiguration config) =>
        config["Journal:Provider"] is not { Length: > 0 } name ? JournalProvider.Postgres
        : Enum.TryParse<JournalProvider>(name, ignoreCase: true, out var provider) && Enum.IsDefined(provider) ? provider
        : throw new InvalidOperationException($"Journal:Provider is {name}: it must be Postgres or SqlServer (environment variable Journal__Provider)");

    /// <summary>
    /// The journal, the registry and the migrator of the chosen provider, on ConnectionStrings:Journal. Tests put their
    /// own journal or registry in first; TryAdd keeps them.
    /// </summary>
    private static void AddJournal(IServiceCollection services, IConfiguration config)
    {
        switch (ChosenJournalProvider(config))
        {
            case JournalProvider.SqlServer:
                services.AddSingleton(_ => new SqlServerDatabase(Required(config, "Journal")));
                services.TryAddSingleton<IJournal, SqlServerJournal>();
                services.TryAddSingleton<IRegistry, SqlServerRegistry>();
                services.AddSingleton<IJournalMigrator, SqlServerMigrator>();
                break;
            default:
                services.AddSingleton(_ => OpenJournal(Required(config, "Journal")));
                services.TryAddSingleton<IJournal, PostgresJournal>();
                services.TryAddSingleton<IRegistry, PostgresRegistry>();
                services.AddSingleton<IJournalMigrator, PostgresMigrator>();
                break;
        }
    }

    /// <summary>
    /// Two defaults, each kept only where the connection string does not set it. The journal's statements repeat on
    /// every batch (a retry's lookup, the registry's), so they are prepared once per connection instead of parsed and
    /// planned per call (Max Auto Prepare). Its connections keep no session state (no SET, no LISTEN, no temporary table
    /// that matters: the staging table empties at commit; the migrator releases its lock), so they go back to the pool
    /// without Npgsql's reset, seven statements PostgreSQL otherwise ran before the next use: before every batch's
    /// COPY (No Reset On Close).
    /// </summary>
    private static NpgsqlDataSource OpenJournal(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("MaxAutoPrepare")) builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        if (!given.Contains("NoResetOnClose")) builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    /// <summary>
    /// Nothing is decided while Redis is away, so the client looks for it again often: a restarted Redis is used
    /// within a few hundred milliseconds instead of after the default back-off (scripts/fault-redis-restart.sh).
    /// </summary>
    private static ConnectionMultiplexer ConnectRedis(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(100);
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        options.ConnectTimeout = 1000;
        return ConnectionMultiplexer.Connect(options);
    }
}
