using System.Buffers.Binary;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>HTTP/2 frame types (RFC 9113 section 6).</summary>
public static class H2
{
    public const byte Data = 0, Headers = 1, Priority = 2, RstStream = 3, Settings = 4, PushPromise = 5, Ping = 6, GoAway = 7, WindowUpdate = 8, Continuation = 9;
    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, PriorityFlag = 0x20;

    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static readonly string[] ErrorCodes =
    [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR",
        "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ];

    public static string ErrorName(uint code) => code < ErrorCodes.Length ? ErrorCodes[code] : $"error 0x{code:X}";

    public static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>A gRPC message as it travels in DATA: compressed flag, 4-byte length, the body.</summary>
    public static byte[] GrpcMessage(byte[] body, byte flag = 0, uint? length = null) => [flag, .. UInt32(length ?? (uint)body.Length), .. body];
}

/// <summary>One HTTP/2 frame to send; <see cref="Length"/> may lie about the payload's size.</summary>
public sealed record H2Frame(byte Type, byte Flags, uint Stream, byte[] Payload, int? Length = null)
{
    public byte[] ToBytes()
    {
        var length = Length ?? Payload.Length;
        return [(byte)(length >> 16), (byte)(length >> 8), (byte)length, Type, Flags, .. H2.UInt32(Stream), .. Payload];
    }

    public static H2Frame Settings(params (ushort Id, uint Value)[] values) =>
        new(H2.Settings, 0, 0, values.SelectMany(v => (byte[])[(byte)(v.Id >> 8), (byte)v.Id, .. H2.UInt32(v.Value)]).ToArray());

    public static H2Frame Rst(uint stream, uint code) => new(H2.RstStream, 0, stream, H2.UInt32(code));

    public static H2Frame GoAway(uint lastStream, uint code) => new(H2.GoAway, 0, 0, [.. H2.UInt32(lastStream), .. H2.UInt32(code)]);

    public static H2Frame Window(uint stream, uint increment) => new(H2.WindowUpdate, 0, stream, H2.UInt32(increment));
}
