using CampusCard.Clearing.LoadGen.Measurement;

namespace CampusCard.Clearing.LoadGen;

/// <summary>One way of serving the workload: the service over gRPC (unary or batch) or the stored-procedure baseline.</summary>
public interface ILoadDriver
{
    LoadMode Mode { get; }

    /// <summary>Runs one terminal until the window closes, counting into <paramref name="stats"/> what completes inside it.</summary>
    Task RunTerminalAsync(int terminal, TerminalStats stats, MeasurementWindow window);

    /// <summary>Checks the stores against every answer the terminals got, warm-up included.</summary>
    Task<Verification> VerifyAsync(CancellationToken cancellationToken);
}

public sealed record Verification(bool Passed, IReadOnlyList<string> Checks)
{
    public static Verification Of(IReadOnlyList<(bool Ok, string What)> checks)
        => new(checks.All(c => c.Ok), checks.Select(c => (c.Ok ? "ok: " : "FAILED: ") + c.What).ToList());
}
