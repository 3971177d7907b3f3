using System.Collections;
using System.Text;

namespace CampusCard.Clearing.Grpc;

/// <summary>
/// Request headers or response trailers of a call. Keys are lowercase; keys ending in <c>-bin</c> carry binary
/// values (base64 on the wire), all others printable ASCII.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    private const string BinaryHeaderSuffix = "-bin";

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public void Add(string key, string value)
    {
        key = NormalizeKey(key);
        if (IsBinaryKey(key))
        {
            throw new ArgumentException($"Key '{key}' ends with '{BinaryHeaderSuffix}': add a byte[] value.", nameof(key));
        }

        ArgumentNullException.ThrowIfNull(value);
        if (!value.All(c => c is >= ' ' and <= '~'))
        {
            throw new ArgumentException("An ASCII metadata value must be printable ASCII.", nameof(value));
        }

        _entries.Add(new Entry(key, value, null));
    }

    public void Add(string key, byte[] value)
    {
        key = NormalizeKey(key);
        if (!IsBinaryKey(key))
        {
            throw new ArgumentException($"Key '{key}' for a binary value must end with '{BinaryHeaderSuffix}'.", nameof(key));
        }

        ArgumentNullException.ThrowIfNull(value);
        _entries.Add(new Entry(key, null, value));
    }

    /// <summary>The value of the last ASCII entry with this key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The value of the last binary entry with this key, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>The last entry with this key, or null.</summary>
    public Entry? Get(string key) => _entries.FindLast(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Entries that arrive from the wire skip validation: HTTP has already constrained them.
    internal void AddFromWire(string key, string value)
    {
        if (IsBinaryKey(key))
        {
            _entries.Add(new Entry(key, null, DecodeBase64(value)));
        }
        else
        {
            _entries.Add(new Entry(key, value, null));
        }
    }

    internal void AddRange(Metadata other) => _entries.AddRange(other._entries);

    private static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        key = key.ToLowerInvariant();
        if (!key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
        {
            throw new ArgumentException($"Metadata key '{key}' may only contain a-z, 0-9, '-', '_' and '.'.", nameof(key));
        }

        return key;
    }

    // The spec lets senders drop base64 padding.
    private static byte[] DecodeBase64(string value)
        => Convert.FromBase64String((value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        });

    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        internal Entry(string key, string? value, byte[]? valueBytes)
        {
            Key = key;
            _value = value;
            _valueBytes = valueBytes;
        }

        public string Key { get; }

        public bool IsBinary => _valueBytes is not null;

        /// <summary>The ASCII value; throws for a binary entry.</summary>
        public string Value => _value ?? throw new InvalidOperationException($"Entry '{Key}' is binary: use ValueBytes.");

        /// <summary>The binary value, or the ASCII value's bytes.</summary>
        public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

        public override string ToString()
            => IsBinary ? $"[Entry: key={Key}, valueBytes={Convert.ToBase64String(_valueBytes!)}]" : $"[Entry: key={Key}, value={_value}]";
    }
}
