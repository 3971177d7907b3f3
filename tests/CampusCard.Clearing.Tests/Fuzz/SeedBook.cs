using System.Text;
using Google.Protobuf.Reflection;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>What one seed is made for: who calls, about whom, under which request id.</summary>
public sealed class SeedContext
{
    public required Random Random { get; init; }
    public required FuzzWorld World { get; init; }
    public required FuzzCaller Caller { get; init; }
    /// <summary>The cardholder the request is about: every person_no and card_no of the seed is this holder's.</summary>
    public required FuzzHolder Subject { get; init; }
    public required string RequestId { get; init; }
    /// <summary>Request ids sent before about the same holder: what a reversal, settle or refund refers to.</summary>
    public required IReadOnlyList<string> EarlierRequestIds { get; init; }
    /// <summary>A number unique in the run (a terminal's offline sequence number).</summary>
    public required long Sequence { get; init; }
    /// <summary>A distinct value for batch ids and spare terminal ids.</summary>
    public required string RunTag { get; init; }
}

/// <summary>
/// Builds a valid request of any message type from its descriptor: each field gets a value by its name when the name is
/// one the API uses (person_no, card_no, amount_fen…, filled from the run's real accounts and merchants), else a
/// plausible value of its type. A new RPC needs nothing here to be seeded; a new field name may earn a line.
/// </summary>
public static class SeedBook
{
    private const int MaxDepth = 3;

    /// <summary>Fields usually left empty in real calls: seeded now and then only.</summary>
    private static readonly HashSet<string> Rare = ["page_token", "old_password", "auto_top_up_id", "pin", "visible_damage", "at_kiosk"];

    public static List<WireField> Build(MessageDescriptor message, SeedContext context, int depth = 0)
    {
        var fields = new List<WireField>();
        var chosen = message.Oneofs.Where(o => !o.IsSynthetic).ToDictionary(o => o, o => o.Fields[context.Random.Next(o.Fields.Count)]);
        foreach (var field in message.Fields.InFieldNumberOrder())
        {
            if (field.RealContainingOneof is { } oneof && chosen[oneof] != field) continue;
            var wanted = Rare.Contains(field.Name) && !(field.Name == "pin" && message.Name != "DebitRequest") ? 0.25 : 0.92;
            if (field.RealContainingOneof is null && context.Random.NextDouble() > wanted) continue;
            var items = field.IsRepeated ? context.Random.Next(1, 4) : 1;
            for (var i = 0; i < items; i++)
                if (ValueOf(field, context, depth) is { } value) fields.Add(value);
        }
        return fields;
    }

    public static WireField? ValueOf(FieldDescriptor field, SeedContext context, int depth) => field.FieldType switch
    {
        FieldType.String => WireField.Delimited(field.FieldNumber, Encoding.UTF8.GetBytes(Text(field.Name, context))),
        FieldType.Bytes => WireField.Delimited(field.FieldNumber, RandomBytes(context.Random, context.Random.Next(1, 16))),
        FieldType.Bool => WireField.Varint(field.FieldNumber, (ulong)context.Random.Next(2)),
        FieldType.Enum => WireField.Varint(field.FieldNumber, (ulong)DefinedEnumValue(field.EnumType, context.Random)),
        FieldType.Message when field.MessageType.FullName == "google.protobuf.Timestamp" =>
            WireField.Delimited(field.FieldNumber, Timestamp(field.Name, context)),
        FieldType.Message => depth < MaxDepth ? WireField.Delimited(field.FieldNumber, Wire.Write(Build(field.MessageType, context, depth + 1))) : null,
        FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float => new WireField(field.FieldNumber, WireType.Fixed32, (ulong)Number(field.Name, context), []),
        FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double => new WireField(field.FieldNumber, WireType.Fixed64, (ulong)Number(field.Name, context), []),
        FieldType.SInt32 or FieldType.SInt64 => WireField.Varint(field.FieldNumber, ZigZag(Number(field.Name, context))),
        _ => WireField.Varint(field.FieldNumber, (ulong)Number(field.Name, context)),
    };

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int DefinedEnumValue(EnumDescriptor type, Random random)
    {
        var defined = type.Values.Where(v => v.Number != 0).ToList();
        return defined.Count == 0 ? 0 : defined[random.Next(defined.Count)].Number;
    }

    private static string Text(string name, SeedContext c)
    {
        var local = c.World.Now.ToOffset(TimeSpan.FromHours(8));
        return name switch
        {
            "request_id" => c.RequestId,
            _ when name.EndsWith("request_id", StringComparison.Ordinal) => Earlier(c),
            "card_no" => c.Subject.CardNo,
            "person_no" => c.Subject.PersonNo,
            "merchant_id" => c.Caller.Terminal?.MerchantId ?? Pick(c.World.Merchants, c.Random),
            "payee_merchant_id" => Pick(c.World.Payees, c.Random),
            "terminal_id" => c.Caller.Terminal?.TerminalId ?? $"T-spare-{c.RunTag}-{c.Random.Next(8)}",
            "pin" or "old_pin" => c.Random.Next(4) == 0 ? FuzzWorld.NewPin : FuzzWorld.DefaultPin,
            "new_pin" => FuzzWorld.NewPin,
            "password" or "old_password" => FuzzWorld.PaymentPassword,
            "id_number" => FuzzWorld.IdNumber,
            "name" => "模糊测试 " + c.Random.Next(100),
            "memo" => "fuzz memo",
            "batch_id" => $"SUB-{c.RunTag}-{c.Random.Next(4)}",
            "business_date" => local.AddDays(-1).ToString("yyyy-MM-dd"),
            "from_date" => local.AddDays(-30).ToString("yyyy-MM-dd"),
            "to_date" => local.ToString("yyyy-MM-dd"),
            "month" => local.ToString("yyyy-MM"),
            "csv" => $"{local.AddDays(-1):yyyy-MM-dd},{Earlier(c)},{c.Subject.PersonNo},{c.Random.Next(1, 5000)}",
            "channel" => c.Random.Next(2) == 0 ? "bank" : "",
            "page_token" => "",
            _ => "fz" + c.Random.Next(1_000_000),
        };
    }

    private static long Number(string name, SeedContext c) => name switch
    {
        "single_limit_fen" => 5_000,
        "daily_limit_fen" => 20_000,
        _ when name.EndsWith("_fen", StringComparison.Ordinal) => c.Random.Next(1, 3_000),
        "ttl_seconds" => c.Random.Next(60, 1_800),
        "terminal_seq" => c.Sequence,
        "page_size" => c.Random.Next(1, 50),
        "since_id" or "since_version" or "auto_top_up_id" => 0,
        _ => c.Random.Next(0, 100),
    };

    /// <summary>A Timestamp near the service's clock: a deadline ahead of it, anything else a little before it.</summary>
    private static byte[] Timestamp(string name, SeedContext c)
    {
        var at = name.Contains("deadline", StringComparison.Ordinal)
            ? c.World.Now.AddDays(30)
            : c.World.Now.AddSeconds(-c.Random.Next(0, 3 * 86_400));
        return Wire.Write([WireField.Varint(1, (ulong)at.ToUnixTimeSeconds()), WireField.Varint(2, (ulong)c.Random.Next(0, 1_000_000_000))]);
    }

    private static string Earlier(SeedContext c) => c.EarlierRequestIds.Count == 0 ? c.RequestId : c.EarlierRequestIds[c.Random.Next(c.EarlierRequestIds.Count)];

    private static string Pick(IReadOnlyList<string> values, Random random) => values.Count == 0 ? "none" : values[random.Next(values.Count)];

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
