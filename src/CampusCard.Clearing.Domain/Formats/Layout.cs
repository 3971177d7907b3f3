using System.Buffers.Binary;

namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// A stored format: a version byte, then one little-endian 64-bit integer per field, as Lua's
/// <c>struct.pack('&lt;Bi8i8...')</c> writes it. The field list here is the only one: the Lua that packs and unpacks
/// it is generated from it (HotStore's LuaPrelude), and C# reads and writes by field name. A new field is a new
/// version.
/// </summary>
public sealed class Layout
{
    private readonly Dictionary<string, int> _index;

    public Layout(string name, byte version, params string[] fields)
    {
        Name = name;
        Version = version;
        Fields = fields;
        _index = fields.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
    }

    public string Name { get; }
    public byte Version { get; }
    public IReadOnlyList<string> Fields { get; }
    public int Length => 1 + 8 * Fields.Count;

    public long Get(ReadOnlySpan<byte> value, string field) => BinaryPrimitives.ReadInt64LittleEndian(value[(1 + 8 * _index[field])..]);

    public bool Holds(ReadOnlySpan<byte> value) => value.Length == Length && value[0] == Version;

    public byte[] Pack(ReadOnlySpan<long> values)
    {
        if (values.Length != Fields.Count) throw new ArgumentException($"{Name} has {Fields.Count} fields, not {values.Length}", nameof(values));
        var packed = new byte[Length];
        packed[0] = Version;
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan(1 + 8 * i), values[i]);
        return packed;
    }
}
