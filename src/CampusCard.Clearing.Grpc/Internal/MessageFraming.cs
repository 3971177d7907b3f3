using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>Length-prefixed messages: a compressed flag byte, a 4-byte big-endian length, the payload.</summary>
internal static class MessageFraming
{
    public const int HeaderSize = 5;

    // Larger per-thread buffers are dropped after use so one big message does not pin memory for good.
    private const int MaxRetainedBufferSize = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frameBuffer;

    /// <summary>
    /// Serializes a message with its frame header into a per-thread buffer. The span is valid until the next call on
    /// this thread, so it must be copied before any await.
    /// </summary>
    public static ReadOnlySpan<byte> FrameMessage<T>(T message, Action<T, IBufferWriter<byte>> serializer, int? maxMessageSize)
    {
        var buffer = t_frameBuffer is { Capacity: <= MaxRetainedBufferSize } retained ? retained : t_frameBuffer = new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        buffer.GetSpan(HeaderSize);
        buffer.Advance(HeaderSize);
        serializer(message, buffer);

        MemoryMarshal.TryGetArray(buffer.WrittenMemory, out var frame);
        var length = frame.Count - HeaderSize;
        if (length > maxMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size."));
        }

        frame.Array![0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)length);
        return frame;
    }

    /// <summary>
    /// Reads the next message. Returns false when the stream ends cleanly between messages; throws an
    /// <see cref="RpcException"/> for a frame that is compressed, too large or cut short.
    /// </summary>
    /// <param name="messageKind">"request" or "response", for error details.</param>
    public static async ValueTask<(bool HasMessage, T Message)> ReadMessageAsync<T>(
        PipeReader reader, Func<ReadOnlySequence<byte>, T> deserializer, int maxMessageSize, string messageKind, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (consumed, examined) = (buffer.Start, buffer.End);
            try
            {
                if (TryParseFrame(buffer, maxMessageSize, out var payload))
                {
                    // Examine no further than this frame, so a following frame already buffered is read at once.
                    consumed = examined = payload.End;
                    return (true, Deserialize(payload, deserializer, messageKind));
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty
                        ? (false, default!)
                        : throw new RpcException(new Status(StatusCode.Internal, $"Incomplete {messageKind} message: the stream ended inside a frame."));
                }
            }
            finally
            {
                reader.AdvanceTo(consumed, examined);
            }
        }
    }

    internal static bool TryParseFrame(in ReadOnlySequence<byte> buffer, int maxMessageSize, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        switch (header[0])
        {
            case 0:
                break;
            case 1:
                throw new RpcException(new Status(StatusCode.Unimplemented, "compression is not supported"));
            default:
                throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {header[0]}: the data is not a gRPC message frame."));
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > maxMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxMessageSize} bytes)."));
        }

        if (buffer.Length < HeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderSize, length);
        return true;
    }

    private static T Deserialize<T>(in ReadOnlySequence<byte> payload, Func<ReadOnlySequence<byte>, T> deserializer, string messageKind)
    {
        try
        {
            return deserializer(payload);
        }
        catch (Exception ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Error deserializing {messageKind} message."), new Metadata(), ex);
        }
    }
}
