using System.Diagnostics;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>A Redis that may evict keys would drop idempotency records and let money move twice: the service refuses it.</summary>
public class UnsafeRedisTests
{
    [Fact]
    public async Task The_service_refuses_to_run_on_a_redis_that_may_evict_and_says_why()
    {
        var port = LoopbackPorts.Free();
        var dir = Directory.CreateTempSubdirectory("cc-redis-").FullName;
        using var redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"])
            { RedirectStandardOutput = true })!;
        try
        {
            await using var database = await ScratchDatabase.CreateAsync(migrate: false);
            var logs = new CapturingLoggerProvider();
            var app = Host.ClearingApp.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(InProcessService.BaseSettings(database, LocalServers.NewKeyPrefix())
                    .Append(new("ConnectionStrings:Redis", $"127.0.0.1:{port},abortConnect=false")).GroupBy(s => s.Key).Select(g => g.Last()));
                builder.Services.AddSingleton<ILoggerProvider>(logs);
            });
            var stopped = new TaskCompletionSource();
            app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopped.TrySetResult());

            await app.StartAsync();
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();

            var refusal = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
            Assert.Contains("maxmemory-policy 'allkeys-lru'", refusal.Message);
            Assert.Equal(3, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = 0;
            redis.Kill();
            Directory.Delete(dir, recursive: true);
        }
    }
}
