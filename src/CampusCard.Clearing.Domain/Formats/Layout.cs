using System.Buffers.Binary;

namespace CampusCard.Clearing.Domain.Formats;

/// <summary>How a stored format writes its version and fields.</summary>
public enum Packing
{
    /// <summary>
    /// A version byte, then one little-endian 64-bit integer per field, as Lua's <c>struct.pack('&lt;Bi8i8...')</c> writes
    /// them: every field at its own place, which SQL reads by position (the journal's holder_after).
    /// </summary>
    Fixed,

    /// <summary>
    /// The version and each field as a MessagePack integer in its shortest form (<see cref="MessagePackIntegers"/>), as
    /// Lua's <c>cmsgpack.pack</c> writes them: a small value takes one byte, a balance about five. What Redis keeps.
    /// </summary>
    Compact,
}

/// <summary>
/// A stored format: a version, then one integer per field, packed one of two ways (<see cref="Packing"/>). The field
/// list here is the only one: the Lua that packs and unpacks it is generated from it (HotStore's LuaPrelude), and C#
/// reads and writes by field name. A new field is a new version; so is a new packing. The versions of one format keep
/// their fields' order and add new ones at the end.
/// </summary>
public sealed class Layout
{
    private readonly Dictionary<string, int> _index;

    public Layout(string name, byte version, params string[] fields)
        : this(name, version, Packing.Fixed, fields)
    {
    }

    public Layout(string name, byte version, Packing packing, params string[] fields)
    {
        Name = name;
        Version = version;
        Packing = packing;
        Fields = fields;
        _index = fields.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
    }

    public string Name { get; }
    public byte Version { get; }
    public Packing Packing { get; }
    public IReadOnlyList<string> Fields { get; }

    /// <summary>A fixed layout's length in bytes.</summary>
    public int Length => Packing == Packing.Fixed ? 1 + 8 * Fields.Count : throw new InvalidOperationException($"{Name} {Version} is compact: its length varies");

    public int Index(string field) => _index[field];

    public byte[] Pack(ReadOnlySpan<long> values)
    {
        if (values.Length != Fields.Count) throw new ArgumentException($"{Name} has {Fields.Count} fields, not {values.Length}", nameof(values));
        if (Packing == Packing.Compact) return PackCompact(values);
        var packed = new byte[Length];
        packed[0] = Version;
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan(1 + 8 * i), values[i]);
        return packed;
    }

    /// <summary>
    /// Reads a value of this layout at the start of <paramref name="value"/> into <paramref name="fields"/> (the first
    /// <see cref="Fields"/>.Count; an older version's fields fill a newer one's first places). Returns the bytes read, or
    /// false when the value is of another version or cut short.
    /// </summary>
    public bool TryUnpack(ReadOnlySpan<byte> value, Span<long> fields, out int length)
    {
        length = 0;
        if (Packing == Packing.Fixed)
        {
            if (value.Length < Length || value[0] != Version) return false;
            for (var i = 0; i < Fields.Count; i++) fields[i] = BinaryPrimitives.ReadInt64LittleEndian(value[(1 + 8 * i)..]);
            length = Length;
            return true;
        }
        var read = MessagePackIntegers.Read(value, out var version);
        if (read == 0 || version != Version) return false;
        var at = read;
        for (var i = 0; i < Fields.Count; i++)
        {
            read = MessagePackIntegers.Read(value[at..], out fields[i]);
            if (read == 0) return false;
            at += read;
        }
        length = at;
        return true;
    }

    private byte[] PackCompact(ReadOnlySpan<long> values)
    {
        Span<byte> packed = stackalloc byte[MessagePackIntegers.MaxLength * (1 + values.Length)];
        var length = MessagePackIntegers.Write(packed, Version);
        foreach (var v in values) length += MessagePackIntegers.Write(packed[length..], v);
        return packed[..length].ToArray();
    }
}
