using System.Buffers;
using System.IO.Pipelines;
using System.Net;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>The request body of a client-streaming call: each message framed and flushed as it comes.</summary>
internal sealed class ClientStreamingContent<T>(
    IAsyncEnumerable<T> messages, Marshaller<T> marshaller, int? maxMessageSize, CancellationToken cancellationToken) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            writer.Write(MessageFraming.FrameMessage(message, marshaller.Serializer, maxMessageSize));
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
