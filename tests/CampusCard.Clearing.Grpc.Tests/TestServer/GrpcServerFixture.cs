using System.Net;
using CampusCard.Clearing.Grpc.Tests.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CampusCard.Clearing.Grpc.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 serving the test service and health: HTTP/2 on one port, HTTP/1.1 on another
/// (to check that gRPC refuses it). Shared by the tests of <see cref="ServerCollection"/>.
/// </summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private ListenOptions? _http2Listener;
    private ListenOptions? _http1Listener;

    public Signals Signals { get; } = new();

    public HealthServiceImpl Health { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public int Port => _http2Listener!.IPEndPoint!.Port;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public Uri Http1Address => new($"http://127.0.0.1:{_http1Listener!.IPEndPoint!.Port}");

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (_http2Listener = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (_http1Listener = listen).Protocols = HttpProtocols.Http1);
        });
        builder.Logging.ClearProviders().AddProvider(Logs);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddGrpcLayer();

        _app = builder.Build();
        _app.MapGrpcService(new TestService(Signals).BindService());
        _app.MapGrpcService(Health.BindService());
        _app.MapGrpcFallback();
        await _app.StartAsync();

        Health.SetStatus("", ServingStatus.Serving);
        Channel = GrpcChannel.ForAddress(Address);
    }

    public async Task DisposeAsync()
    {
        Signals.ReleaseAll();
        Channel.Dispose();
        await _app!.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<GrpcServerFixture>
{
    public const string Name = "In-process gRPC server";
}
