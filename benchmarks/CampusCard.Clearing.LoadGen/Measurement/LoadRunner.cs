using CampusCard.Clearing.LoadGen.Reporting;

namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>Runs the terminals of one mode through warm-up and the measured phase, and samples CPU around the latter.</summary>
public sealed class LoadRunner(LoadOptions options, CpuSampler cpu)
{
    public async Task<RunResult> RunAsync(ILoadDriver driver, CancellationToken cancellationToken)
    {
        var window = new MeasurementWindow(options.Count);
        var stats = Enumerable.Range(0, options.Terminals).Select(_ => new TerminalStats()).ToArray();
        var progress = new ProgressLine(driver.Mode, stats, window);
        var terminals = Enumerable.Range(0, options.Terminals)
            .Select(t => Task.Run(() => driver.RunTerminalAsync(t, stats[t], window), CancellationToken.None))
            .ToArray();
        Dictionary<string, double> cpuSeconds;
        try
        {
            progress.WarmingUp(options.WarmupSeconds);
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            var before = cpu.Sample();
            window.Open();
            var end = options.Count is null
                ? Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds), cancellationToken)
                : window.BudgetSpent.WaitAsync(cancellationToken);
            while (await Task.WhenAny(end, Task.Delay(1_000, cancellationToken)) != end && !terminals.Any(t => t.IsFaulted))
            {
                progress.Print();
            }
            cancellationToken.ThrowIfCancellationRequested();
            window.Close();
            var after = cpu.Sample();
            cpuSeconds = CpuSampler.SecondsBetween(before, after);
            progress.Print();
            progress.Done();
        }
        finally
        {
            window.Close();
        }
        await Task.WhenAll(terminals);

        var total = new TerminalStats();
        foreach (var terminal in stats) total.Add(terminal);
        return RunResult.From(driver.Mode, options, total, window.Seconds, cpuSeconds, cpu.Roots);
    }
}
