using System.CommandLine;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine.Placement;
using CampusCard.Clearing.Host.Configuration;
using CampusCard.Clearing.Host.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.IdentityModel.Tokens;

namespace CampusCard.Clearing.Host;

/// <summary>
/// The host's command line: without a command it runs the service (other arguments go to ASP.NET configuration,
/// as --Listen:Address=...); <c>migrate</c> applies the journal migrations; <c>repartition</c> changes the hot state's
/// number of partitions (<see cref="RepartitionCommand"/>); <c>create-key</c> and <c>issue-token</c> make the credentials
/// callers present.
/// </summary>
internal static class HostCommands
{
    /// <summary>The exit code of a start refused for its settings (and of a command given a key it cannot use).</summary>
    public const int BadSettings = 2;

    public static RootCommand Create()
    {
        var root = new RootCommand("CampusCard.Clearing: the clearing engine of a campus one-card system (校园一卡通).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction((result, ct) => WithSettingsAsync(async () =>
        {
            await ClearingApp.Build([.. result.UnmatchedTokens]).RunAsync(ct);
            // 3 when the engine refused the hot store (EngineHostedService), else 0.
            return Environment.ExitCode;
        }));
        root.Subcommands.Add(Migrate());
        root.Subcommands.Add(RepartitionCommand.Create());
        root.Subcommands.Add(CreateKey());
        root.Subcommands.Add(IssueToken());
        return root;
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "apply the journal migrations (sql/postgres) and exit") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((result, ct) => WithSettingsAsync(async () =>
        {
            var app = ClearingApp.Build([.. result.UnmatchedTokens]);
            var applied = await app.Services.GetRequiredService<IJournalMigrator>().MigrateAsync(ct);
            Console.WriteLine(applied.Count == 0 ? "journal schema is up to date" : $"applied migrations {string.Join(", ", applied)}");
            // The journal databases besides the main one, migrated and placed as their numbers (the main one is now).
            await app.Services.GetRequiredService<JournalDatabases>().PrepareAsync(migrate: true, ct);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// A command that builds the service: settings it cannot start with are told on standard error, one line each naming
    /// the setting, before anything listens or connects, and the exit code is <see cref="BadSettings"/>.
    /// </summary>
    internal static async Task<int> WithSettingsAsync(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (ConfigurationException e)
        {
            foreach (var problem in e.Problems) Console.Error.WriteLine($"configuration error: {problem}");
            return BadSettings;
        }
        catch (JournalPlacementException e)
        {
            Console.Error.WriteLine($"configuration error: {e.Message}");
            return BadSettings;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            Console.Error.WriteLine($"configuration error: {e.Message} (Listen__Address, Metrics__Address)");
            return BadSettings;
        }
    }

    private static Command CreateKey()
    {
        var output = new Option<FileInfo>("--out") { Description = "the PEM file to write the new ES256 private key to", Required = true };
        var command = new Command("create-key", "create the ECDSA P-256 key tokens are signed with; the service reads it (Auth:PublicKeyPath)") { output };
        command.SetAction(result =>
        {
            var file = result.GetValue(output)!;
            if (file.Exists)
            {
                Console.Error.WriteLine($"{file.FullName} exists: not overwritten");
                return 1;
            }
            file.Directory?.Create();
            File.WriteAllText(file.FullName, SigningKeys.CreatePrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine(file.FullName);
            return 0;
        });
        return command;
    }

    private static Command IssueToken()
    {
        var key = new Option<FileInfo>("--key") { Description = "the private key (create-key)", Required = true };
        var role = new Option<string>("--role") { Description = "terminal, kiosk, bank, payments, office, finance, operator or vendor", Required = true };
        var campus = new Option<string?>("--campus") { Description = "the code of the caller's campus (default: the default campus; none for a vendor)" };
        var subject = new Option<string?>("--subject") { Description = "who the token names (default: the role, or terminal:<id>)" };
        var terminal = new Option<string?>("--terminal") { Description = "a terminal's id (role terminal)" };
        var merchant = new Option<string?>("--merchant") { Description = "the merchant the terminal is registered to (role terminal)" };
        var days = new Option<double>("--days") { Description = "lifetime in days", DefaultValueFactory = _ => 30 };
        var issuer = new Option<string>("--issuer") { DefaultValueFactory = _ => AuthOptions.DefaultIssuer };
        var audience = new Option<string>("--audience") { DefaultValueFactory = _ => AuthOptions.DefaultIssuer };
        var command = new Command("issue-token", "print a signed bearer token for a caller") { key, role, subject, terminal, merchant, campus, days, issuer, audience };
        command.SetAction(result =>
        {
            if (!Caller.TryParseRole(result.GetValue(role), out var callerRole))
            {
                Console.Error.WriteLine($"--role must be one of {string.Join(", ", Enum.GetValues<CallerRole>().Select(Caller.RoleName))}");
                return 2;
            }
            var terminalId = result.GetValue(terminal) ?? "";
            var merchantId = result.GetValue(merchant) ?? "";
            if (callerRole == CallerRole.Terminal && (terminalId.Length == 0 || merchantId.Length == 0))
            {
                Console.Error.WriteLine("a terminal's token needs --terminal and --merchant");
                return 2;
            }
            var campusCode = result.GetValue(campus);
            if (callerRole == CallerRole.Vendor && campusCode is not null)
            {
                Console.Error.WriteLine("a vendor's token names no campus: leave out --campus");
                return 2;
            }
            if (campusCode is not null && Campuses.Code("--campus", campusCode) is { } badCode)
            {
                Console.Error.WriteLine(badCode.Message);
                return 2;
            }
            var name = result.GetValue(subject) ?? (callerRole == CallerRole.Terminal ? $"terminal:{terminalId}" : Caller.RoleName(callerRole));
            ECDsaSecurityKey signingKey;
            try
            {
                signingKey = SigningKeys.Load(result.GetValue(key)!.FullName);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"--key: {e.Message}");
                return BadSettings;
            }
            var issuerOf = new TokenIssuer(signingKey, result.GetValue(issuer)!, result.GetValue(audience)!);
            Console.WriteLine(issuerOf.Issue(new Caller(callerRole, name, terminalId, merchantId), TimeSpan.FromDays(result.GetValue(days)), campus: campusCode));
            return 0;
        });
        return command;
    }
}
