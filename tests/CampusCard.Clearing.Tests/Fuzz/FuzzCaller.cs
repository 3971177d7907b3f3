using System.Collections.Concurrent;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>Who sends a fuzzed body: a role the RPC allows, and for a terminal the registered terminal it is.</summary>
public sealed record FuzzCaller(CallerRole Role, FuzzTerminal? Terminal)
{
    private static readonly ConcurrentDictionary<FuzzCaller, string> Tokens = new();

    /// <summary>A real token of this caller, signed with the test run's key (one per caller, reused).</summary>
    public string Token => Tokens.GetOrAdd(this, c => c.Terminal is { } t ? TestCredentials.TerminalToken(t.TerminalId, t.MerchantId) : TestCredentials.Token(c.Role));

    public override string ToString() => Terminal is { } t ? $"terminal {t.TerminalId}" : Caller.RoleName(Role);
}
