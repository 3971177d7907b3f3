using System.Text;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// What one fuzzing connection sends: the preface, SETTINGS, and a gRPC call on stream 1 (a seed of the body fuzzer, with its
/// caller's token) and another on stream 3, then mutated at the frame level (lengths, HPACK, stream ids, CONTINUATION,
/// padding, flow control, RST_STREAM and GOAWAY at odd times, gRPC length prefixes and the compressed flag, oversize messages).
/// </summary>
public sealed class FrameScript
{
    public byte[] Preface { get; set; } = H2.Preface;
    public List<H2Frame> Frames { get; } = [];
    public List<string> Mutations { get; } = [];
    /// <summary>Send only this many bytes, then close the socket (a peer that goes away mid-frame).</summary>
    public int? CutAt { get; set; }

    public byte[] ToBytes() => [.. Preface, .. Frames.SelectMany(f => f.ToBytes())];

    public static List<(string, string)> RequestHeaders(FuzzCase call, string authority) =>
    [
        (":method", "POST"), (":scheme", "http"), (":path", $"/{call.Rpc.Method.Service.FullName}/{call.Rpc.Method.Name}"), (":authority", authority),
        ("content-type", "application/grpc"), ("te", "trailers"), ("authorization", "Bearer " + call.Caller.Token),
    ];

    public static FrameScript For(FuzzCase call, string authority, Random random)
    {
        var script = new FrameScript();
        var headers = RequestHeaders(call, authority);
        var body = call.Messages.Length > 0 ? call.Messages[0] : [];
        script.Frames.Add(H2Frame.Settings());
        foreach (var stream in new uint[] { 1, 3 })
        {
            script.Frames.Add(new H2Frame(H2.Headers, H2.EndHeaders, stream, Hpack.Encode(headers)));
            script.Frames.Add(new H2Frame(H2.Data, H2.EndStream, stream, H2.GrpcMessage(body)));
        }
        var mutations = 1 + (random.Next(3) == 0 ? random.Next(1, 3) : 0);
        for (var i = 0; i < mutations; i++) script.Mutations.Add(FrameMutations.Apply(script, headers, body, random));
        return script;
    }
}

/// <summary>The frame-level mutations, each named for the report.</summary>
public static class FrameMutations
{
    public static string Apply(FrameScript s, List<(string Name, string Value)> headers, byte[] body, Random r)
    {
        var frames = s.Frames;
        int Index(byte type) => frames.FindIndex(f => f.Type == type && f.Stream == 1) is var i and >= 0 ? i : 1;
        void Set(int at, H2Frame frame) => frames[Math.Min(at, frames.Count - 1)] = frame;
        var headersAt = Index(H2.Headers);
        var dataAt = Index(H2.Data);
        var data = frames[Math.Min(dataAt, frames.Count - 1)];
        switch (r.Next(34))
        {
            case 0:
                var any = r.Next(frames.Count);
                frames[any] = frames[any] with { Length = Math.Max(0, frames[any].Payload.Length + (r.Next(2) == 0 ? -1 : 1) * r.Next(1, 9)) };
                return "frame.length-mismatch";
            case 1:
                frames.Insert(dataAt, new H2Frame(H2.Data, 0, 1, new byte[16_385], r.Next(2) == 0 ? 16_385 : (1 << 24) - 1));
                return "frame.oversize";
            case 2:
                Set(headersAt, frames[headersAt] with { Payload = SeedBook.RandomBytes(r, r.Next(1, 64)) });
                return "hpack.garbage";
            case 3:
                Set(headersAt, frames[headersAt] with { Payload = [0xFF, (byte)r.Next(0x40, 0x80), .. frames[headersAt].Payload] });
                return "hpack.bad-index";
            case 4:
                var update = new MemoryStream();
                Hpack.WriteInteger(update, 0x20, 5, r.Next(2) == 0 ? 1_000_000 : int.MaxValue);
                Set(headersAt, frames[headersAt] with { Payload = [.. update.ToArray(), .. frames[headersAt].Payload] });
                return "hpack.table-size-update";
            case 5:
                var block = frames[headersAt].Payload;
                Set(headersAt, frames[headersAt] with { Payload = block[..r.Next(1, block.Length)] });
                return "hpack.truncated";
            case 6:
                Set(headersAt, frames[headersAt] with { Payload = Hpack.Encode(BadHeaders(headers, r)) });
                return "headers.invalid";
            case 7:
                Set(headersAt, frames[headersAt] with { Stream = r.Next(3) switch { 0 => 2, 1 => 0, _ => 0x80000001 } });
                return "stream.bad-id";
            case 8:
                frames.Add(frames[headersAt]);
                frames.Add(data);
                return "stream.reused";
            case 9:
                frames.AddRange([frames[headersAt] with { Stream = 7 }, frames[headersAt] with { Stream = 5 }]);
                return "stream.decreasing-id";
            case 10:
                frames.Insert(1, data with { Stream = (uint)(r.Next(2) == 0 ? 0 : 9) });
                return "data.idle-stream";
            case 11:
                frames.Insert(r.Next(1, frames.Count), new H2Frame(H2.Continuation, H2.EndHeaders, 1, Hpack.Encode([("x-orphan", "1")])));
                return "continuation.orphan";
            case 12:
                return SplitHeaders(frames, headersAt, r, interleave: r.Next(2) == 0);
            case 13:
                frames[headersAt] = frames[headersAt] with { Flags = 0 };
                var flood = Hpack.Encode([("x-flood", new string('a', 100))]);
                frames.InsertRange(headersAt + 1, Enumerable.Range(0, r.Next(2) == 0 ? 200 : 2_000).Select(_ => new H2Frame(H2.Continuation, 0, 1, flood)));
                return "continuation.flood";
            case 14:
                var padded = r.Next(2) == 0 ? headersAt : dataAt;
                var frame = frames[Math.Min(padded, frames.Count - 1)];
                Set(padded, frame with { Flags = (byte)(frame.Flags | H2.Padded), Payload = [(byte)Math.Min(255, frame.Payload.Length + r.Next(0, 4)), .. frame.Payload] });
                return "padding.invalid";
            case 15:
                frames.Insert(headersAt, r.Next(2) == 0
                    ? new H2Frame(H2.Priority, 0, 1, [0, 0, 0, 1, 16])
                    : new H2Frame(H2.Priority, 0, 1, [0, 0, 0, 3]));
                return "priority.invalid";
            case 16:
                frames.Insert(r.Next(1, frames.Count + 1), r.Next(3) switch
                {
                    0 => H2Frame.Rst(11, 8),
                    1 => new H2Frame(H2.RstStream, 0, 1, [0, 8]),
                    _ => H2Frame.Rst(0, 2),
                });
                return "rst.invalid";
            case 17:
                frames[dataAt] = data with { Flags = 0 };
                frames.Insert(dataAt + 1, H2Frame.Rst(1, 8));
                return "rst.mid-call";
            case 18:
                frames.Insert(r.Next(1, frames.Count + 1), r.Next(3) switch
                {
                    0 => H2Frame.GoAway(0, 0),
                    1 => H2Frame.GoAway(1, 2) with { Stream = 1 },
                    _ => H2Frame.GoAway(uint.MaxValue, 0x1234),
                });
                return "goaway.odd-time";
            case 19:
                frames[0] = r.Next(5) switch
                {
                    0 => H2Frame.Settings((2, 2)),
                    1 => H2Frame.Settings((4, 0x80000000)),
                    2 => H2Frame.Settings((5, 100)),
                    3 => new H2Frame(H2.Settings, 0, 0, [0, 1, 0]),
                    _ => new H2Frame(H2.Settings, H2.Ack, 0, [0, 1, 0, 0, 0, 0]),
                };
                return "settings.invalid";
            case 20:
                frames.Insert(1, r.Next(2) == 0 ? new H2Frame(H2.Ping, 0, 0, new byte[7]) : new H2Frame(H2.Ping, 0, 1, new byte[8]));
                return "ping.invalid";
            case 21:
                frames.InsertRange(1, Enumerable.Range(0, 1_000).Select(i => new H2Frame(H2.Ping, 0, 0, H2.UInt32((uint)i).Concat(new byte[4]).ToArray())));
                return "ping.flood";
            case 22:
                frames.Insert(r.Next(1, frames.Count + 1), r.Next(3) switch
                {
                    0 => H2Frame.Window(0, 0),
                    1 => H2Frame.Window(1, 0),
                    _ => H2Frame.Window(0, 0x7FFFFFFF),
                });
                if (r.Next(2) == 0) frames.Insert(1, H2Frame.Window(0, 0x7FFFFFFF));
                return "window.invalid";
            case 23:
                frames.Insert(headersAt, new H2Frame(H2.PushPromise, H2.EndHeaders, 1, [0, 0, 0, 2, .. Hpack.Encode(headers)]));
                return "push-promise.from-client";
            case 24:
                frames.Insert(r.Next(1, frames.Count + 1), new H2Frame((byte)r.Next(10, 256), (byte)r.Next(256), (uint)r.Next(0, 8), SeedBook.RandomBytes(r, r.Next(0, 32))));
                return "frame.unknown-type";
            case 25:
                Set(dataAt, data with { Payload = H2.GrpcMessage(body, length: (uint)body.Length + (uint)r.Next(1, 100)) });
                return "grpc.prefix-longer-than-body";
            case 26:
                Set(dataAt, data with { Payload = [.. H2.GrpcMessage(body), .. SeedBook.RandomBytes(r, r.Next(1, 5))] });
                return "grpc.bytes-after-message";
            case 27:
                Set(dataAt, data with { Payload = H2.GrpcMessage(body, flag: (byte)(r.Next(2) == 0 ? 1 : r.Next(2, 256))) });
                if (r.Next(2) == 0) frames[headersAt] = frames[headersAt] with { Payload = Hpack.Encode([.. headers, ("grpc-encoding", r.Next(2) == 0 ? "gzip" : "identity")]) };
                return "grpc.compressed-flag";
            case 28:
                Set(dataAt, data with { Payload = H2.GrpcMessage(body, length: r.Next(3) switch { 0 => 0x7FFFFFFF, 1 => 0xFFFFFFFF, _ => 1024 * 1024 + 1 }) });
                return "grpc.oversize-prefix";
            case 29:
                var huge = new byte[1024 * 1024 + r.Next(1, 100_000)];
                var message = H2.GrpcMessage(huge);
                frames.RemoveAt(dataAt);
                frames.InsertRange(dataAt, message.Chunk(16_384).Select((c, i) => new H2Frame(H2.Data, (byte)((i + 1) * 16_384 >= message.Length ? H2.EndStream : 0), 1, c)));
                return "grpc.oversize-message";
            case 30:
                frames[headersAt] = frames[headersAt] with { Flags = H2.EndHeaders | H2.EndStream };
                frames.RemoveAt(dataAt);
                return "grpc.no-message";
            case 31:
                var split = H2.GrpcMessage(body);
                frames.RemoveAt(dataAt);
                frames.InsertRange(dataAt, split.Select((b, i) => new H2Frame(H2.Data, (byte)(i == split.Length - 1 ? H2.EndStream : 0), 1, [b])));
                return "grpc.one-byte-frames";
            case 32:
                s.CutAt = r.Next(H2.Preface.Length, s.ToBytes().Length);
                return "close.mid-frame";
            default:
                s.Preface = r.Next(2) == 0 ? "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray() : [.. H2.Preface[..^2], 0, 0];
                return "preface.invalid";
        }
    }

    private static List<(string, string)> BadHeaders(List<(string Name, string Value)> headers, Random r)
    {
        var bad = headers.ToList();
        switch (r.Next(12))
        {
            case 0: bad.RemoveAll(h => h.Name == (r.Next(2) == 0 ? ":path" : ":method")); break;
            case 1: bad.Add(bad.First(h => h.Name == ":path")); break;
            case 2: bad.Add(("X-Upper", "1")); break;
            case 3: bad.Add(("connection", "keep-alive")); break;
            case 4: bad[bad.FindIndex(h => h.Name == "te")] = ("te", "gzip"); break;
            case 5: bad.Add((":status", "200")); break;
            case 6: bad[bad.FindIndex(h => h.Name == ":path")] = (":path", r.Next(2) == 0 ? "" : "/campuscard.clearing.v1.Nope/Nothing"); break;
            case 7: bad[bad.FindIndex(h => h.Name == "content-type")] = ("content-type", r.Next(2) == 0 ? "text/plain" : "application/grpc+json"); break;
            case 8: bad.Add(("grpc-timeout", new[] { "1H", "99999999999n", "-1S", "abc", "0m", "" }[r.Next(6)])); break;
            case 9: bad.Add(("grpc-encoding", new[] { "gzip", "br", "identity", "x-nope" }[r.Next(4)])); break;
            case 10: bad.Add(("x-big", new string('h', r.Next(2) == 0 ? 16_000 : 70_000))); break;
            default: bad.AddRange(Enumerable.Range(0, 1_000).Select(i => ($"x-many-{i}", "v"))); break;
        }
        bad.Insert(r.Next(bad.Count + 1), r.Next(3) == 0 ? (":authority", "pseudo-after-regular") : ("x-fuzz", Encoding.Latin1.GetString(SeedBook.RandomBytes(r, 4)).Replace("\0", "")));
        return bad;
    }

    /// <summary>The header block split over HEADERS and CONTINUATION (valid), or with another frame between them (not).</summary>
    private static string SplitHeaders(List<H2Frame> frames, int at, Random r, bool interleave)
    {
        var block = frames[at].Payload;
        var cut = r.Next(1, block.Length);
        frames[at] = frames[at] with { Flags = 0, Payload = block[..cut] };
        frames.Insert(at + 1, new H2Frame(H2.Continuation, H2.EndHeaders, 1, block[cut..]));
        if (!interleave) return "continuation.split";
        frames.Insert(at + 1, new H2Frame(H2.Ping, 0, 0, new byte[8]));
        return "continuation.interleaved";
    }
}
