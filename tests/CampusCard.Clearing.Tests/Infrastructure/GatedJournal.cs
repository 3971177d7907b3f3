using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>The real journal, whose writes wait at a gate while it is closed (open at first).</summary>
public sealed class GatedJournal(IJournal inner) : DelegatingJournal(inner)
{
    private TaskCompletionSource _open = Opened();
    private int _waiting;

    /// <summary>Writes waiting at the gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Writes from now on wait (the test's thread only closes and opens it).</summary>
    public void Close()
    {
        if (_open.Task.IsCompleted) Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public void Open() => _open.TrySetResult();

    public async Task UntilWaitingAsync(int count)
    {
        for (var i = 0; i < 500 && Waiting < count; i++) await Task.Delay(20);
        Assert.True(Waiting >= count, $"{count} journal writes did not reach the gate");
    }

    public override async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await Volatile.Read(ref _open).Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        await base.AppendAsync(entries, cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
