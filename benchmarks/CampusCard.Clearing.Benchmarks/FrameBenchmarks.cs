using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using CampusCard.Clearing.Benchmarks.Infrastructure;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Grpc;

namespace CampusCard.Clearing.Benchmarks;

/// <summary>
/// A DebitRequest in and out of a gRPC length-prefixed frame through the method's public marshaller, doing what the
/// layer's internal framing does: a reused buffer, the 5-byte prefix written around the payload, and decoding over a
/// <see cref="ReadOnlySequence{T}"/>.
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private const int HeaderSize = 5;
    private static readonly Marshaller<DebitRequest> Marshaller = TerminalMethods.Debit.RequestMarshaller;

    private readonly DebitRequest _request = Samples.DebitRequest();
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private ReadOnlySequence<byte> _frame;

    [GlobalSetup]
    public void Setup()
    {
        EncodeDebitRequest();
        _frame = new ReadOnlySequence<byte>(_buffer.WrittenMemory.ToArray());
    }

    [Benchmark]
    public int EncodeDebitRequest()
    {
        _buffer.ResetWrittenCount();
        _buffer.GetSpan(HeaderSize);
        _buffer.Advance(HeaderSize);
        Marshaller.Serializer(_request, _buffer);
        var frame = MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span;
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame[1..], (uint)(frame.Length - HeaderSize));
        return frame.Length;
    }

    [Benchmark]
    public DebitRequest DecodeDebitRequest()
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        _frame.Slice(0, HeaderSize).CopyTo(header);
        if (header[0] != 0) throw new InvalidDataException("a compressed frame");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return Marshaller.Deserializer(_frame.Slice(HeaderSize, length));
    }
}
