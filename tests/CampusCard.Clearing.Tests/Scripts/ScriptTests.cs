using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Scripts;

/// <summary>The scripts a newcomer runs first, as the README writes them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ScriptTests
{
    /// <summary>Every program the scripts start servers, builds or installs with: each stands in for the real one and notes its call.</summary>
    private static readonly string[] Starters = ["dotnet", "redis-server", "redis-cli", "pg_ctl", "initdb", "postgres", "pg_isready", "psql", "haproxy", "npm", "npx", "apt-get", "sudo", "runuser", "su"];

    [Theory]
    [InlineData("scripts/bench.sh", "--help", "--micro")]
    [InlineData("scripts/bench.sh", "-h", "--cluster")]
    [InlineData("scripts/bench.sh", "--help", "--campuses")]
    [InlineData("scripts/bench-scaling.sh", "--help", "--only")]
    [InlineData("scripts/run.sh", "--help", "--campus CODE[:NAME]")]
    public async Task Help_prints_its_usage_at_once_and_starts_nothing(string script, string help, string option)
    {
        var started = Stopwatch.StartNew();
        var (run, calls) = await RunWithoutStartersAsync(script, [help]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.StartsWith($"usage: {script} ", run.Out);
        Assert.Contains(option, run.Out);
        Assert.Equal("", calls);
    }

    [Theory]
    [InlineData("North_Campus:北校区", "'North_Campus' is not a campus code")]
    [InlineData("-pj", "'-pj' is not a campus code")]
    [InlineData("a-code-of-thirty-three-characters", "'a-code-of-thirty-three-characters' is not a campus code")]
    public async Task Run_refuses_a_bad_campus_code_before_it_builds_or_starts_anything(string campus, string message)
    {
        var (run, calls) = await RunWithoutStartersAsync("scripts/run.sh", ["--campus", "pj:盘锦校区", "--campus", campus]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"[run] --campus {campus}: {message} (lower-case letters, digits and '-', a letter or digit first, at most 32)", run.Error);
        Assert.Equal("", calls);
    }

    [Fact]
    public async Task Token_makes_the_development_key_and_prints_a_token_signed_with_it_that_the_service_accepts()
    {
        // The suite's own environment (CC_LOCAL of scripts/test.sh): the host is built there once, not per run.
        var local = Environment.GetEnvironmentVariable("CC_LOCAL") ?? throw new InvalidOperationException("CC_LOCAL is not set: run the tests with scripts/test.sh");
        var key = Path.Combine(local, "credentials", "signing-key.pem");
        if (File.Exists(key)) File.Delete(key);

        var run = await RunAsync("scripts/token.sh", ["--role", "office", "--days", "1"], []);
        Assert.True(run.ExitCode == 0, run.ToString());
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        await using var service = await InProcessService.StartAsync([.. InProcessService.BaseSettings(database, LocalServers.NewKeyPrefix()), new("Auth:PublicKeyPath", key)]);
        var opened = await new Cards.CardsClient(service.Channel.WithToken(run.Out.Trim())).OpenMerchantAsync(
            new OpenMerchantRequest { MerchantId = "SCRIPT-1", Name = "三食堂", Category = Contracts.V1.MerchantCategory.Dining });
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Cards.CardsClient(service.Channel.WithToken(TestCredentials.Token(CallerRole.Office)))
            .OpenMerchantAsync(new OpenMerchantRequest { MerchantId = "SCRIPT-2", Name = "四食堂", Category = Contracts.V1.MerchantCategory.Dining }).ResponseAsync);

        Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("SCRIPT-1", opened.MerchantId);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    /// <summary>Runs a script with every program it starts servers, builds or installs with replaced by one that only notes its call; answers what was called.</summary>
    private static async Task<(ProcessRun Run, string Calls)> RunWithoutStartersAsync(string script, string[] args)
    {
        var shims = Directory.CreateTempSubdirectory("cc-shims-").FullName;
        var calls = Path.Combine(shims, "calls.log");
        foreach (var name in Starters)
        {
            var shim = Path.Combine(shims, name);
            File.WriteAllText(shim, $"#!/bin/sh\necho \"$0 $*\" >> '{calls}'\nexit 1\n");
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        try
        {
            var run = await RunAsync(script, args, new() { ["PATH"] = $"{shims}:/usr/sbin:/usr/bin:/sbin:/bin", ["CC_PG_BIN"] = shims });
            return (run, File.Exists(calls) ? File.ReadAllText(calls) : "");
        }
        finally
        {
            Directory.Delete(shims, recursive: true);
        }
    }

    /// <summary>Runs a script of the repository from its root, with <paramref name="environment"/> over this process's.</summary>
    private static async Task<ProcessRun> RunAsync(string script, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(ExternalClient.RepositoryRoot, script), args)
        {
            WorkingDirectory = ExternalClient.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}
