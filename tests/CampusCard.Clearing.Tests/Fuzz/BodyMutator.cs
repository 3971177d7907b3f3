using Google.Protobuf.Reflection;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// Mutates a valid request. Field-aware mutations read the descriptor (a field's type, its enum, its nested message, whether it
/// repeats) and work on the fields as they travel; byte-level ones then work on the encoded body. Each mutation is named, so
/// the report counts what was tried.
/// </summary>
public sealed class BodyMutator(Random random)
{
    /// <summary>Bodies are kept under this size except where a mutation means to pass the service's 1 MiB limit.</summary>
    private const int SizeBudget = 1_000_000;

    public (byte[] Body, List<string> Applied) Mutate(MessageDescriptor type, IReadOnlyList<WireField> seed, IReadOnlyList<byte[]> others)
    {
        var fields = seed.ToList();
        var applied = new List<string>();
        byte[]? bytes = null;
        var count = 1 + (random.Next(4) == 0 ? random.Next(1, 4) : 0);
        for (var i = 0; i < count; i++)
        {
            if (bytes is null && random.Next(10) < 7)
            {
                applied.Add(MutateFields(type, fields, depth: 0));
            }
            else
            {
                bytes ??= Wire.Write(fields);
                (bytes, var name) = MutateBytes(bytes, others);
                applied.Add(name);
            }
        }
        return (bytes ?? Wire.Write(fields), applied);
    }

    private string MutateFields(MessageDescriptor type, List<WireField> fields, int depth)
    {
        switch (random.Next(10))
        {
            case 0 when fields.Count > 0:
                fields.RemoveAt(random.Next(fields.Count));
                return "field.drop";
            case 1 when fields.Count > 0:
                var copy = fields[random.Next(fields.Count)];
                fields.Insert(random.Next(fields.Count + 1), Value(FieldOf(type, copy.Number), copy) ?? copy);
                return "field.duplicate";
            case 2 when fields.Count > 0:
                var at = random.Next(fields.Count);
                fields[at] = WrongWireType(fields[at]);
                return "field.wire-type";
            case 3:
                fields.Insert(random.Next(fields.Count + 1), UnknownField(type));
                return "field.unknown";
            case 4 when fields.Count > 0:
                var renumbered = random.Next(fields.Count);
                fields[renumbered] = fields[renumbered] with { Number = FieldNumber(type) };
                return "field.number";
            case 5:
                return Repeat(type, fields);
            case 6 when depth < 3 && fields.FindIndex(f => FieldOf(type, f.Number) is { FieldType: FieldType.Message }) is var nested and >= 0:
                var field = FieldOf(type, fields[nested].Number)!;
                var inner = Wire.TryRead(fields[nested].Bytes) ?? [];
                var name = MutateFields(field.MessageType, inner, depth + 1);
                fields[nested] = fields[nested] with { Bytes = Wire.Write(inner) };
                return name.Replace("field.", "nested.");
            default:
                return SetValue(type, fields);
        }
    }

    /// <summary>A field of the message gets an interesting value of its type (replacing what it had).</summary>
    private string SetValue(MessageDescriptor type, List<WireField> fields)
    {
        if (type.Fields.InFieldNumberOrder().Count == 0)
        {
            fields.Add(UnknownField(type));
            return "field.unknown";
        }
        var field = type.Fields.InFieldNumberOrder()[random.Next(type.Fields.InFieldNumberOrder().Count)];
        var existing = fields.FindIndex(f => f.Number == field.FieldNumber);
        var value = Value(field, existing >= 0 ? fields[existing] : null)!;
        if (existing >= 0) fields[existing] = value;
        else fields.Insert(random.Next(fields.Count + 1), value);
        return field.FieldType switch
        {
            FieldType.String when value.Bytes.Length > 4_096 => "value.long-string",
            FieldType.String => "value.string",
            FieldType.Enum => "value.enum",
            FieldType.Message => "value.message",
            FieldType.Bool => "value.bool",
            _ => "value.number",
        };
    }

    private WireField? Value(FieldDescriptor? field, WireField? current)
    {
        if (field is null) return null;
        var number = field.FieldNumber;
        return field.FieldType switch
        {
            FieldType.String or FieldType.Bytes => WireField.Delimited(number, random.Next(8) switch
            {
                0 when current is not null => InterestingValues.Near(current.Bytes, random),
                1 when random.Next(6) == 0 => InterestingValues.Long(random),
                2 => SeedBook.RandomBytes(random, random.Next(0, 64)),
                _ => InterestingValues.Strings[random.Next(InterestingValues.Strings.Length)],
            }),
            FieldType.Enum => WireField.Varint(number, (ulong)(random.Next(3) == 0
                ? SeedBook.DefinedEnumValue(field.EnumType, random)
                : InterestingValues.EnumNumbers[random.Next(InterestingValues.EnumNumbers.Length)])),
            FieldType.Bool => WireField.Varint(number, InterestingValues.Bools[random.Next(InterestingValues.Bools.Length)]),
            FieldType.Message when field.MessageType.FullName == "google.protobuf.Timestamp" => WireField.Delimited(number, Wire.Write(
            [
                WireField.Varint(1, (ulong)InterestingValues.TimestampSeconds[random.Next(InterestingValues.TimestampSeconds.Length)]),
                WireField.Varint(2, (ulong)(random.Next(2) == 0 ? 0 : InterestingValues.TimestampNanos[random.Next(InterestingValues.TimestampNanos.Length)])),
            ])),
            FieldType.Message => WireField.Delimited(number, random.Next(2) == 0 ? [] : SeedBook.RandomBytes(random, random.Next(1, 32))),
            FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float => new WireField(number, WireType.Fixed32, (ulong)Integer(), []),
            FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double => new WireField(number, WireType.Fixed64, (ulong)Integer(), []),
            FieldType.SInt32 or FieldType.SInt64 => WireField.Varint(number, SeedBook.ZigZag(Integer())),
            _ => WireField.Varint(number, (ulong)Integer()),
        };
    }

    private long Integer() => random.Next(5) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : InterestingValues.Integers[random.Next(InterestingValues.Integers.Length)];

    private WireField WrongWireType(WireField field)
    {
        var type = (WireType)random.Next(8);
        while (type == field.Type) type = (WireType)random.Next(8);
        return type switch
        {
            WireType.Varint or WireType.Fixed32 or WireType.Fixed64 => new WireField(field.Number, type, (ulong)Integer(), []),
            WireType.LengthDelimited => WireField.Delimited(field.Number, field.Type == WireType.Varint ? Wire.Varint(field.Value) : SeedBook.RandomBytes(random, random.Next(0, 16))),
            // A group start without its end, an end without a start, and the two wire types no encoder writes.
            _ => new WireField(field.Number, type, 0, random.Next(2) == 0 ? [] : SeedBook.RandomBytes(random, random.Next(1, 8))),
        };
    }

    private WireField UnknownField(MessageDescriptor type)
    {
        var number = FieldNumber(type);
        return random.Next(3) switch
        {
            0 => WireField.Varint(number, (ulong)Integer()),
            1 => WireField.Delimited(number, SeedBook.RandomBytes(random, random.Next(0, 64))),
            _ => new WireField(number, random.Next(2) == 0 ? WireType.Fixed32 : WireType.Fixed64, (ulong)Integer(), []),
        };
    }

    /// <summary>A field number the message does not define, or one no message may use (0, reserved 19000–19999, past 2^29).</summary>
    private long FieldNumber(MessageDescriptor type) => random.Next(6) switch
    {
        0 => 0,
        1 => random.Next(19_000, 20_000),
        2 => (1L << 29) - 1,
        3 => (1L << 29) + random.Next(1_000),
        4 => type.Fields.InFieldNumberOrder().Count + 1 + random.Next(20),
        _ => random.Next(1, 1 << 29),
    };

    /// <summary>A repeated field with thousands of items (or any field sent many times).</summary>
    private string Repeat(MessageDescriptor type, List<WireField> fields)
    {
        var repeated = type.Fields.InFieldNumberOrder().Where(f => f.IsRepeated).ToList();
        var counts = new[] { 2, 100, 1_001, 2_000, 5_000, 20_000 };
        var times = counts[random.Next(counts.Length)];
        WireField item;
        if (repeated.Count > 0)
        {
            var field = repeated[random.Next(repeated.Count)];
            item = fields.FirstOrDefault(f => f.Number == field.FieldNumber) ?? Value(field, null)!;
        }
        else if (fields.Count > 0)
        {
            item = fields[random.Next(fields.Count)];
        }
        else
        {
            return SetValue(type, fields);
        }
        var size = Wire.Write([item]).Length;
        times = Math.Max(2, Math.Min(times, SizeBudget / Math.Max(1, size)));
        fields.AddRange(Enumerable.Repeat(item, times));
        return repeated.Count > 0 ? "field.repeat-thousands" : "field.repeat";
    }

    private static FieldDescriptor? FieldOf(MessageDescriptor type, long number) =>
        number is > 0 and < (1L << 29) ? type.FindFieldByNumber((int)number) : null;

    private (byte[] Bytes, string Name) MutateBytes(byte[] body, IReadOnlyList<byte[]> others)
    {
        var bytes = body.ToList();
        switch (random.Next(12))
        {
            case 0 when bytes.Count > 0:
                var bit = random.Next(bytes.Count * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return (bytes.ToArray(), "bytes.flip");
            case 1 when bytes.Count > 0:
                byte[] interesting = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x0A, 0x12, (byte)random.Next(256)];
                bytes[random.Next(bytes.Count)] = interesting[random.Next(interesting.Length)];
                return (bytes.ToArray(), "bytes.set");
            case 2:
                bytes.InsertRange(random.Next(bytes.Count + 1), SeedBook.RandomBytes(random, random.Next(1, 17)));
                return (bytes.ToArray(), "bytes.insert");
            case 3 when bytes.Count > 1:
                var from = random.Next(bytes.Count);
                bytes.RemoveRange(from, random.Next(1, Math.Min(16, bytes.Count - from) + 1));
                return (bytes.ToArray(), "bytes.delete");
            case 4 when bytes.Count > 1:
                return (body[..random.Next(bytes.Count)], "bytes.truncate");
            case 5 when bytes.Count > 1:
                var start = random.Next(bytes.Count);
                var chunk = bytes.GetRange(start, random.Next(1, bytes.Count - start + 1));
                bytes.InsertRange(random.Next(bytes.Count + 1), chunk);
                return (bytes.ToArray(), "bytes.duplicate-range");
            case 6:
                return ([.. body, .. SeedBook.RandomBytes(random, random.Next(1, 33))], "bytes.append-garbage");
            case 7:
                return (SeedBook.RandomBytes(random, random.Next(0, 513)), "bytes.random");
            case 8 when others.Count > 0:
                var other = others[random.Next(others.Count)];
                return ([.. body[..random.Next(body.Length + 1)], .. other[random.Next(other.Length + 1)..]], "bytes.splice");
            case 9:
                // A varint of 11 bytes: longer than any 64-bit number.
                return ([.. body, 0x08, .. Enumerable.Repeat((byte)0xFF, 10), 0x01], "bytes.varint-overflow");
            case 10:
                // A length-delimited field that claims far more bytes than follow.
                return ([.. body, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x41, 0x42], "bytes.length-overflow");
            default:
                return (Nesting(body), "bytes.deep-nesting");
        }
    }

    /// <summary>Groups or messages nested past any parser's recursion limit, appended to the body.</summary>
    private byte[] Nesting(byte[] body)
    {
        var depth = random.Next(2) == 0 ? 101 : 5_000;
        if (random.Next(2) == 0)
        {
            var groups = new MemoryStream();
            for (var i = 0; i < depth; i++) Wire.WriteVarint(groups, (99UL << 3) | (byte)WireType.StartGroup);
            return [.. body, .. groups.ToArray()];
        }
        var nested = Array.Empty<byte>();
        for (var i = 0; i < Math.Min(depth, 200); i++) nested = Wire.Write([WireField.Delimited(99, nested)]);
        return [.. body, .. nested];
    }
}
