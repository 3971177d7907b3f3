namespace CampusCard.Clearing.Engine.Internal;

/// <summary>The engine's one back-off loop: an operation is tried until it succeeds, waiting twice as long after each failure, up to a limit.</summary>
internal sealed class RetryPolicy(TimeSpan first, TimeSpan longest, TimeProvider clock)
{
    /// <param name="onFailure">Told each failure and the wait before the next attempt; may throw to stop retrying.</param>
    public async Task<T> RunAsync<T>(Func<Task<T>> attempt, Action<Exception, TimeSpan> onFailure, CancellationToken cancellationToken)
    {
        var delay = first;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                onFailure(e, delay);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, longest.Ticks));
            }
        }
    }
}
