using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// Speaks h2c to Kestrel over raw sockets: writes a <see cref="FrameScript"/> while reading what the server answers (SETTINGS
/// acknowledged, header blocks decoded for :status and grpc-status, RST_STREAM and GOAWAY codes) until the server has ended
/// every call the script opened, gone away or closed, or 2 s have passed.
/// </summary>
public sealed class FrameFuzzer(IPEndPoint server, FrameReport report)
{
    public const int Concurrency = 4;
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(2);

    public Task SendAllAsync(IEnumerable<(FuzzCase Call, FrameScript Script)> connections) =>
        Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (c, _) => await SendAsync(c.Call, c.Script));

    public async Task SendAsync(FuzzCase call, FrameScript script)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var time = new CancellationTokenSource(AnswerTime);
        var bytes = script.ToBytes();
        var answers = new Answers { Expected = script.Frames.Where(f => f.Type == H2.Headers).Select(f => f.Stream).ToHashSet() };
        var reading = ReadAsync(stream, answers, time.Token);
        try
        {
            await stream.WriteAsync(bytes.AsMemory(0, Math.Min(script.CutAt ?? bytes.Length, bytes.Length)), time.Token);
            if (script.CutAt is not null) socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            answers.Outcomes.Add("closed while the client wrote");
        }
        await reading;
        report.Connection(call, script, answers.Outcomes, answers.Statuses);
    }

    private sealed class Answers
    {
        public List<string> Outcomes { get; } = [];
        public List<(string Status, string Message)> Statuses { get; } = [];
        public HashSet<uint> Ended { get; } = [];
        /// <summary>The streams the script opened: reading stops once the server has ended each.</summary>
        public required HashSet<uint> Expected { get; init; }
    }

    private static async Task ReadAsync(Stream stream, Answers answers, CancellationToken ct)
    {
        var hpack = new Hpack();
        var blocks = new Dictionary<uint, MemoryStream>();
        var header = new byte[9];
        try
        {
            while (!answers.Expected.IsSubsetOf(answers.Ended))
            {
                await stream.ReadExactlyAsync(header, ct);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var (type, flags, id) = (header[3], header[4], BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF);
                var payload = new byte[length];
                await stream.ReadExactlyAsync(payload, ct);
                switch (type)
                {
                    case H2.Settings when (flags & H2.Ack) == 0:
                        await stream.WriteAsync(new H2Frame(H2.Settings, H2.Ack, 0, []).ToBytes(), ct);
                        break;
                    case H2.Headers or H2.Continuation:
                        if (!blocks.TryGetValue(id, out var block)) blocks[id] = block = new MemoryStream();
                        block.Write(type == H2.Headers ? HeaderBlock(payload, flags) : payload);
                        if ((flags & H2.EndHeaders) != 0) Headers(hpack.Decode(block.ToArray()), answers);
                        if ((flags & H2.EndHeaders) != 0) blocks.Remove(id);
                        break;
                    case H2.RstStream:
                        answers.Outcomes.Add("RST_STREAM " + H2.ErrorName(BinaryPrimitives.ReadUInt32BigEndian(payload)));
                        answers.Ended.Add(id);
                        break;
                    case H2.GoAway:
                        answers.Outcomes.Add("GOAWAY " + H2.ErrorName(BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4))));
                        return;
                }
                if (type is H2.Headers or H2.Data && (flags & H2.EndStream) != 0) answers.Ended.Add(id);
            }
            answers.Outcomes.Add("every call answered");
        }
        catch (EndOfStreamException)
        {
            answers.Outcomes.Add("connection closed");
        }
        catch (OperationCanceledException)
        {
            answers.Outcomes.Add("no end within 2 s");
        }
        catch (IOException)
        {
            answers.Outcomes.Add("connection reset");
        }
    }

    /// <summary>The header block fragment of a HEADERS payload, without padding and priority.</summary>
    private static byte[] HeaderBlock(byte[] payload, byte flags)
    {
        var start = ((flags & H2.Padded) != 0 ? 1 : 0) + ((flags & H2.PriorityFlag) != 0 ? 5 : 0);
        var padding = (flags & H2.Padded) != 0 ? payload[0] : 0;
        return payload[start..(payload.Length - padding)];
    }

    private static void Headers(List<(string Name, string Value)>? fields, Answers answers)
    {
        if (fields is null)
        {
            answers.Outcomes.Add("a header block this client cannot read");
            return;
        }
        if (fields.FirstOrDefault(f => f.Name == ":status").Value is { Length: > 0 } status && status != "200") answers.Outcomes.Add("HTTP " + status);
        if (fields.FirstOrDefault(f => f.Name == "grpc-status").Value is { Length: > 0 } code)
            answers.Statuses.Add((int.TryParse(code, out var n) ? ((Grpc.Core.StatusCode)n).ToString() : code, Uri.UnescapeDataString(fields.FirstOrDefault(f => f.Name == "grpc-message").Value ?? "")));
    }
}
