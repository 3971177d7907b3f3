namespace CampusCard.Clearing.Cli.Internal;

/// <summary>Progress where no bar can be drawn (a log, a pipe): a line at the start, at every tenth, and at the end.</summary>
internal sealed class ProgressLines(TextWriter writer, string description, int total)
{
    private readonly Lock _lock = new();
    private int _done;
    private int _tenthsShown = -1;

    public void Advance(int count)
    {
        lock (_lock)
        {
            _done += count;
            var tenths = total == 0 ? 10 : _done * 10 / total;
            if (tenths == _tenthsShown) return;
            _tenthsShown = tenths;
            writer.WriteLine($"{description}: {_done}/{total} ({tenths * 10} %)");
        }
    }
}
