using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Engine.Placement;
using CampusCard.Clearing.Host.Configuration;
using CampusCard.Clearing.Host.Internal;
using CampusCard.Clearing.Host.Security;
using CampusCard.Clearing.Host.Services;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Journal.SqlServer;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
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
        ConsoleLogs.Add(builder.Logging, config);

        var services = builder.Services;
        services.AddValidatedOptions(config);
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
            // Kestrel is configured while the app is built, before the settings are checked: a bad address or certificate
            // is left out here, and the check stops the start.
            var listen = config.GetSection("Listen").Get<GrpcListenOptions>() ?? new();
            if (new GrpcListenOptionsValidator().Validate(null, listen).Succeeded)
            {
                kestrel.Listen(Endpoints.Parse(listen.Address)!, options =>
                {
                    options.Protocols = HttpProtocols.Http2;
                    // Relative to the working directory, as the check read it (Kestrel's own base is the content root).
                    if (listen.CertificatePath.Length > 0) options.UseHttps(Path.GetFullPath(listen.CertificatePath), listen.CertificatePassword);
                });
            }
            // Prometheus scrapes over HTTP/1.1, on a port of its own that serves nothing else.
            if ((config.GetSection("Metrics").Get<MetricsOptions>() ?? new()).Endpoint is { } metrics) kestrel.Listen(metrics, options => options.Protocols = HttpProtocols.Http1);
        });

        // Tests put their own clock, registry or journal in first; TryAdd keeps them.
        services.TryAddSingleton(TimeProvider.System);
        // The campus's calendar (Engine:UtcOffset) for the migrator, which writes it where the finance views read it.
        services.AddSingleton(sp => new BusinessCalendar(sp.GetRequiredService<IOptions<EngineOptions>>().Value.UtcOffset));
        // Campus 1's code (Campuses:Default), which the migrator writes as it writes the calendar.
        services.AddSingleton(sp => new DefaultCampus(sp.GetRequiredService<IOptions<CampusOptions>>().Value.Default));
        services.AddSingleton(s => ConnectRedis(s.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.Redis));
        services.TryAddSingleton<IHotStore, RedisHotStore>();
        AddJournal(services, config);
        // A caller's cancellation ends its wait, never a statement: no caller's token reaches the database driver.
        Decorate<IJournal>(services, journal => new DetachedJournal(journal));
        // Each part of the engine asks for the journal's port it reads; the journal (as decorated) serves them all.
        services.AddSingleton<IDecisionJournal>(sp => sp.GetRequiredService<IJournal>());
        services.AddSingleton<IOperationReads>(sp => sp.GetRequiredService<IJournal>());
        services.AddSingleton<IStatementReads>(sp => sp.GetRequiredService<IJournal>());
        services.AddSingleton<IFinanceReads>(sp => sp.GetRequiredService<IJournal>());
        Decorate<IRegistry>(services, registry => new DetachedRegistry(registry));
        // Each campus's rules: the deployment's configuration, with the campus's own settings over it (Admin.ConfigureCampus).
        services.AddSingleton(sp => new CampusRulesBook(
            new CampusRules(sp.GetRequiredService<BusinessCalendar>(), sp.GetRequiredService<IOptions<ChannelOptions>>().Value,
                sp.GetRequiredService<IOptions<CardRules>>().Value, sp.GetRequiredService<IOptions<FinanceOptions>>().Value.SettlementCutOff),
            sp.GetRequiredService<IRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CampusRulesBook>>()));
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
        services.AddSingleton<AdminService>();
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
        services.AddCallerAuthentication();
        services.AddClearingMetrics();

        var app = builder.Build();
        StartupConfiguration.Check(app.Services);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<TerminalService>();
        app.MapGrpcService<FundingService>();
        app.MapGrpcService<CardsService>();
        app.MapGrpcService<KioskService>();
        app.MapGrpcService<PaymentsService>();
        app.MapGrpcService<FinanceService>();
        app.MapGrpcService<AdminService>();
        app.MapGrpcService<StatementsService>();
        app.MapGrpcService<HealthServiceImpl>().AllowAnonymous();
        var open = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.OpenOperatorEndpoints;
        // Any authenticated caller may list the API (a terminal vendor with its terminal's token): the fallback policy.
        var reflection = app.MapGrpcReflectionService();
        if (open) reflection.AllowAnonymous();
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Endpoint is { } metrics)
        {
            var scrape = app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{metrics.Port}");
            if (open) scrape.AllowAnonymous();
            else scrape.RequireAuthorization(Roles.OperatorPolicy);
            // A load balancer's check (HAProxy's httpchk, HTTP/1.0 without a Host header, hence no RequireHost): 200 while
            // the engine decides, 503 while it starts, recovers or stops.
            app.MapGet("/healthz", (ClearingEngine engine) => engine.State == EngineState.Ready
                    ? Results.Text("SERVING")
                    : Results.Text(engine.State.ToString(), statusCode: StatusCodes.Status503ServiceUnavailable))
                .AllowAnonymous();
        }
        app.Services.GetRequiredService<RegistryChanges>().OnChange(
            app.Services.GetRequiredService<Directory>().ForgetTerminal, _ => app.Services.GetRequiredService<CampusRulesBook>().Changed());
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

    /// <summary>
    /// The journal, the registry and the migrator of the provider Journal:Provider names, on ConnectionStrings:Journal;
    /// none for a provider it does not know, whose start the check of the settings stops. With journal databases besides
    /// the main one (Journal:Databases), the journal and the registry the service uses place each campus in its own
    /// (<see cref="PlacedJournal"/>, <see cref="PlacedRegistry"/>). Tests put their own journal or registry in first;
    /// TryAdd keeps them.
    /// </summary>
    private static void AddJournal(IServiceCollection services, IConfiguration config)
    {
        // Names only: the settings are read, once checked, when the databases are first used.
        var others = config.GetSection("Journal:Databases").GetChildren().Select(c => c.Key).ToList();
        if (others.Count > 0)
        {
            services.TryAddSingleton<IJournal>(s => new PlacedJournal(s.GetRequiredService<JournalDatabases>()));
            services.TryAddSingleton<IRegistry>(s => new PlacedRegistry(s.GetRequiredService<JournalDatabases>()));
        }
        switch (JournalOptions.Choose(config["Journal:Provider"]))
        {
            case JournalProvider.SqlServer:
                services.AddSingleton(s => new SqlServerDatabase(JournalConnectionString(s)));
                services.TryAddSingleton<IJournal, SqlServerJournal>();
                services.TryAddSingleton<IRegistry, SqlServerRegistry>();
                services.AddSingleton<IJournalMigrator, SqlServerMigrator>();
                AddDatabases(services, others, connectionString => new SqlServerDatabase(connectionString), (s, database) => (
                    new SqlServerJournal(database, s.GetRequiredService<ILogger<SqlServerJournal>>()), new SqlServerRegistry(database),
                    new SqlServerMigrator(database, s.GetRequiredService<BusinessCalendar>(), s.GetRequiredService<ILogger<SqlServerMigrator>>())));
                break;
            case JournalProvider.Postgres:
                services.AddSingleton(s => OpenJournal(JournalConnectionString(s)));
                services.TryAddSingleton<IJournal, PostgresJournal>();
                services.TryAddSingleton<IRegistry, PostgresRegistry>();
                services.AddSingleton<IJournalMigrator, PostgresMigrator>();
                AddDatabases(services, others, OpenJournal, (s, source) => (
                    new PostgresJournal(source, s.GetRequiredService<ILogger<PostgresJournal>>()), new PostgresRegistry(source),
                    new PostgresMigrator(source, s.GetRequiredService<BusinessCalendar>(), s.GetRequiredService<ILogger<PostgresMigrator>>())));
                break;
        }
    }

    /// <summary>
    /// Every journal database, by number: the main one (its migrator the one registered) and each of Journal:Databases on a
    /// <typeparamref name="TSource"/> of its own (disposed with the container); and their placement of campuses.
    /// </summary>
    private static void AddDatabases<TSource>(IServiceCollection services, IReadOnlyList<string> others, Func<string, TSource> open,
        Func<IServiceProvider, TSource, (IJournal Journal, IRegistry Registry, IJournalMigrator Migrator)> provider)
        where TSource : class
    {
        foreach (var name in others) services.AddKeyedSingleton(name, (s, _) => open(Settings(s).Databases[name].ConnectionString));
        services.AddSingleton(s =>
        {
            var (journal, registry, _) = provider(s, s.GetRequiredService<TSource>());
            var main = new JournalDatabase(0, JournalPlacement.Main, journal, registry, s.GetRequiredService<IJournalMigrator>());
            return new JournalDatabases([main, .. others.Select(name =>
            {
                var (j, r, m) = provider(s, s.GetRequiredKeyedService<TSource>(name));
                return new JournalDatabase((short)Settings(s).Databases[name].Number, name, j, r, m);
            })]);
        });
        services.AddSingleton(s => s.GetRequiredService<JournalDatabases>().Placement);
    }

    private static JournalOptions Settings(IServiceProvider services) => services.GetRequiredService<IOptions<JournalOptions>>().Value;

    /// <summary>Wraps the <typeparamref name="T"/> registered (the provider's, or one a test put in first).</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap) where T : class
    {
        // None is registered when the journal's provider is unknown: the settings' check then stops the start.
        if (services.LastOrDefault(d => d.ServiceType == typeof(T)) is not { } registered) return;
        services.Remove(registered);
        services.AddSingleton(provider => wrap((T)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!))));
    }

    private static string JournalConnectionString(IServiceProvider services) => services.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.Journal;

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
        // A command for a server that is down fails at once instead of waiting in the client's backlog: its partition is
        // refused and recovered, and the batches of the other partitions do not wait for it (docs/scaling.md).
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(options);
    }
}
