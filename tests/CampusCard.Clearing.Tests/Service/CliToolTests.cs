using System.Reflection;
using CampusCard.Clearing.Cli;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The CLI ships as a dotnet tool: packed from the build the tests run on (dotnet pack --no-build), installed from that
/// package folder alone (a nuget.config with no other source) into a tool path, and run as campuscard, as the README says.
/// </summary>
public sealed class CliToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_from_the_local_package_folder_and_runs_campuscard()
    {
        var project = Path.Combine(ExternalClient.RepositoryRoot, "src", "CampusCard.Clearing.Cli");
        var configuration = typeof(CampusCardCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var packages = Path.Combine(_folder, "nupkg");
        var tools = Path.Combine(_folder, "tools");
        await File.WriteAllTextAsync(Path.Combine(_folder, "nuget.config"),
            "<configuration><packageSources><clear /><add key=\"local\" value=\"nupkg\" /></packageSources></configuration>");

        await RunAsync("dotnet", "pack", project, "-c", configuration, "--no-build", "-o", packages, "-nologo");
        var installed = await RunAsync("dotnet", "tool", "install", "CampusCard.Clearing.Cli", "--tool-path", tools, "--configfile", "nuget.config");
        var help = await RunAsync(Path.Combine(tools, "campuscard"), "--help");

        Assert.Contains("campuscard.clearing.cli", installed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Usage:\n  campuscard [command] [options]", help);
        Assert.Contains("7 ALREADY_EXISTS", help);
    }

    private Task<string> RunAsync(string fileName, params string[] args) => ExternalClient.RunAsync(fileName, args, _folder);
}
