using System.Collections.Concurrent;

namespace CampusCard.Clearing.Grpc.Tests.TestServer;

/// <summary>Named one-shot events shared by test handlers and tests; a name is created on first use by either side.</summary>
public sealed class Signals
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();

    public TaskCompletionSource this[string name]
        => _signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Waits for a signal, failing the test rather than hanging when it never comes.</summary>
    public Task WaitAsync(string name) => this[name].Task.WaitAsync(Patience);

    public void ReleaseAll()
    {
        foreach (var signal in _signals.Values)
        {
            signal.TrySetResult();
        }
    }
}
