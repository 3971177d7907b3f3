using System.Buffers;

namespace CampusCard.Clearing.Grpc;

public static class Marshallers
{
    public static Marshaller<T> Create<T>(Action<T, IBufferWriter<byte>> serializer, Func<ReadOnlySequence<byte>, T> deserializer)
        => new(serializer, deserializer);
}
