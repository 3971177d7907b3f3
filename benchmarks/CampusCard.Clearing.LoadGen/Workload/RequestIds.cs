namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>
/// A terminal's request ids: "&lt;run&gt;-&lt;terminal&gt;-&lt;sequence&gt;", unique across runs because the
/// service remembers request ids for days. Built with one allocation per id.
/// </summary>
public sealed class RequestIds(string run, int terminal)
{
    private readonly string _prefix = $"{run}-{terminal:D3}-";
    private long _sequence;

    public string Next()
    {
        var sequence = ++_sequence;
        var digits = 1;
        for (var rest = sequence / 10; rest > 0; rest /= 10) digits++;
        return string.Create(_prefix.Length + digits, (_prefix, sequence), static (span, state) =>
        {
            state._prefix.CopyTo(span);
            state.sequence.TryFormat(span[state._prefix.Length..], out _);
        });
    }

    /// <summary>A tag that names one run of one mode: the mode's letter and the start time in base 36.</summary>
    public static string RunTag(char mode, DateTimeOffset start)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> tag = stackalloc char[16];
        var i = tag.Length;
        for (var v = start.ToUnixTimeMilliseconds() / 100; v > 0; v /= 36) tag[--i] = digits[(int)(v % 36)];
        tag[--i] = mode;
        return new string(tag[i..]);
    }
}
