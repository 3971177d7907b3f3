using System.Buffers.Binary;
using System.Text;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// A stored format of the hot state: a version byte, then one little-endian 64-bit integer per field, as Lua's
/// <c>struct.pack('&lt;Bi8i8...')</c> writes it. The field list here is the only one: the Lua functions that pack
/// and unpack it are generated from it (<see cref="Lua"/>), and C# reads and writes by field index. A new field
/// is a new version: a store in another version is rebuilt from the journal, an outbox entry in another version
/// is read by its own layout.
/// </summary>
internal sealed class Layout
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

    public int this[string field] => _index[field];

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

    /// <summary>The Lua that packs and unpacks this layout into a table with one entry per field, by name.</summary>
    public string Lua()
    {
        var format = "<B" + string.Concat(Enumerable.Repeat("i8", Fields.Count));
        var fields = string.Join(", ", Fields.Select(f => "t." + f));
        var lua = new StringBuilder();
        lua.AppendLine($"local {Name.ToUpperInvariant()}_FORMAT = '{format}'");
        lua.AppendLine($"local function unpack_{Name}(s)");
        lua.AppendLine("  local t, version = {}");
        lua.AppendLine($"  version, {fields} = struct.unpack({Name.ToUpperInvariant()}_FORMAT, s)");
        lua.AppendLine($"  if version ~= {Version} then error('a {Name} in format ' .. version .. ', not {Version}') end");
        lua.AppendLine("  return t");
        lua.AppendLine("end");
        lua.AppendLine($"local function pack_{Name}(t)");
        lua.AppendLine($"  return struct.pack({Name.ToUpperInvariant()}_FORMAT, {Version}, {fields})");
        lua.AppendLine("end");
        return lua.ToString();
    }
}

/// <summary>The hot state's formats (version 3).</summary>
internal static class Layouts
{
    /// <summary>What the engine sends for each request: its kind and content, resolved to numbers.</summary>
    public static readonly Layout Request = new("request", 3, "kind", "fp", "amount", "pre", "card", "merchant", "direction", "known");

    /// <summary>A holder: card is the live card's sequence number, state its card state; then balances and the day's spend.</summary>
    public static readonly Layout Holder = new("holder", 3, "id", "card", "state", "purse", "wallet", "pending", "spend_day", "day_spent");

    /// <summary>
    /// An idempotency record (and the decision half of an outbox entry). rv is the id of the reversal that reversed
    /// it; a tombstone (kind 0) is a reversal that came before its original, rv its id.
    /// </summary>
    public static readonly Layout Record = new("record", 3,
        "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv");

    public static readonly Layout[] All = [Request, Holder, Record];
}
