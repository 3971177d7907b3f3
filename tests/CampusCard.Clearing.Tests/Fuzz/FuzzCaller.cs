using System.Collections.Concurrent;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>Who sends a fuzzed body: a role the RPC allows, for a terminal the registered terminal it is, and the code of its campus (null: the default).</summary>
public sealed record FuzzCaller(CallerRole Role, FuzzTerminal? Terminal, string? Campus = null)
{
    private static readonly ConcurrentDictionary<FuzzCaller, string> Tokens = new();

    /// <summary>A real token of this caller, signed with the test run's key (one per caller, reused).</summary>
    public string Token => Tokens.GetOrAdd(this, c =>
        c.Terminal is { } t ? TestCredentials.TerminalToken(t.TerminalId, t.MerchantId, c.Campus) : TestCredentials.Token(c.Role, c.Campus));

    public override string ToString() => (Terminal is { } t ? $"terminal {t.TerminalId}" : Caller.RoleName(Role)) + (Campus is null ? "" : $" of {Campus}");
}
