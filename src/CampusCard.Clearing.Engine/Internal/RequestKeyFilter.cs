namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// A Bloom filter of (scope, request id) pairs: "certainly not added" or "perhaps added" (about 0.1 % wrongly, at
/// capacity). Adds may run beside reads and each other; a read sees every add that happened before it.
/// </summary>
internal sealed class RequestKeyFilter
{
    private const int Probes = 10;
    private const double BitsPerKey = 14.4;
    private readonly long[] _words;
    private readonly ulong _bits;
    private long _added;

    public RequestKeyFilter(long capacity)
    {
        Capacity = Math.Max(capacity, 1024);
        _words = new long[(long)Math.Ceiling(Capacity * BitsPerKey / 64)];
        _bits = (ulong)_words.Length * 64;
    }

    /// <summary>Keys it was sized for; beyond them the error rate grows.</summary>
    public long Capacity { get; }

    public long Added => Interlocked.Read(ref _added);

    public void Add(string scope, string requestId)
    {
        var (h1, h2) = Hash(scope, requestId);
        for (var i = 0UL; i < Probes; i++)
        {
            var bit = (h1 + i * h2) % _bits;
            Interlocked.Or(ref _words[bit >> 6], 1L << (int)(bit & 63));
        }
        Interlocked.Increment(ref _added);
    }

    public bool MayContain(string scope, string requestId)
    {
        var (h1, h2) = Hash(scope, requestId);
        for (var i = 0UL; i < Probes; i++)
        {
            var bit = (h1 + i * h2) % _bits;
            if ((Volatile.Read(ref _words[bit >> 6]) & (1L << (int)(bit & 63))) == 0) return false;
        }
        return true;
    }

    /// <summary>Two hashes of the pair (FNV-1a over its characters, a separator between, then two finalisers).</summary>
    private static (ulong, ulong) Hash(string scope, string requestId)
    {
        var h = 14695981039346656037UL;
        foreach (var c in scope) h = (h ^ c) * 1099511628211UL;
        h = (h ^ 0xFFFF) * 1099511628211UL;
        foreach (var c in requestId) h = (h ^ c) * 1099511628211UL;
        return (Mix(h), Mix(h ^ 0x9E3779B97F4A7C15UL) | 1);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
