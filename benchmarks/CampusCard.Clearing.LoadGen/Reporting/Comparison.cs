namespace CampusCard.Clearing.LoadGen.Reporting;

/// <summary>
/// One engine mode against one baseline of the same invocation: approved debits per second and CPU µs per debit over
/// all processes, each the engine's divided by the baseline's (throughput above 1 and CPU below 1 favour the engine).
/// </summary>
public sealed record Comparison(LoadMode Mode, LoadMode Against, double ThroughputRatio, double CpuPerDebitRatio)
{
    public static IReadOnlyList<Comparison> Of(IReadOnlyList<RunResult> runs)
    {
        var comparisons = new List<Comparison>();
        foreach (var engine in runs.Where(r => !r.Mode.IsBaseline()))
        {
            // A baseline that approved nothing or spent no CPU has no ratio to give (JSON has no infinity either).
            foreach (var baseline in runs.Where(r => r.Mode.IsBaseline() && r.ApprovedPerSecond > 0 && r.CpuMicrosPerDebit > 0))
            {
                comparisons.Add(new Comparison(engine.Mode, baseline.Mode,
                    Math.Round(engine.ApprovedPerSecond / baseline.ApprovedPerSecond, 3),
                    Math.Round(engine.CpuMicrosPerDebit / baseline.CpuMicrosPerDebit, 3)));
            }
        }
        return comparisons;
    }
}
