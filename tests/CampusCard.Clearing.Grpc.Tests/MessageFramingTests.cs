using System.IO.Pipelines;
using CampusCard.Clearing.Grpc.Internal;
using CampusCard.Clearing.Grpc.Tests.TestServer;

namespace CampusCard.Clearing.Grpc.Tests;

public class MessageFramingTests
{
    private const int MaxMessageSize = 1024;

    private readonly Pipe _pipe = new();

    [Fact]
    public void A_frame_is_a_zero_flag_a_big_endian_length_and_the_payload()
    {
        var frame = MessageFraming.FrameMessage("héllo", TestMethods.StringMarshaller.Serializer, maxMessageSize: null).ToArray();

        Assert.Equal(new byte[] { 0, 0, 0, 0, 6, (byte)'h', 0xC3, 0xA9, (byte)'l', (byte)'l', (byte)'o' }, frame);
    }

    [Fact]
    public async Task A_message_split_across_many_reads_is_reassembled()
    {
        var frame = Frame("split across reads");
        foreach (var b in frame)
        {
            await _pipe.Writer.WriteAsync(new[] { b });
        }

        await _pipe.Writer.CompleteAsync();

        Assert.Equal(["split across reads"], await ReadAllAsync());
    }

    [Fact]
    public async Task Several_messages_in_one_read_are_all_returned()
    {
        await _pipe.Writer.WriteAsync(Frame("one").Concat(Frame("")).Concat(Frame("three")).ToArray());
        await _pipe.Writer.CompleteAsync();

        Assert.Equal(["one", "", "three"], await ReadAllAsync());
    }

    [Fact]
    public async Task A_frame_larger_than_the_limit_fails_with_resource_exhausted_before_its_payload_arrives()
    {
        await _pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 4, 1 });

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void A_message_larger_than_the_send_limit_fails_with_resource_exhausted()
    {
        var error = Assert.Throws<RpcException>(() => MessageFraming.FrameMessage(new string('x', 11), TestMethods.StringMarshaller.Serializer, maxMessageSize: 10));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_frame_is_an_incomplete_message()
    {
        await _pipe.Writer.WriteAsync(Frame("truncated")[..8]);
        await _pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync());

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("Incomplete request message", error.Status.Detail);
    }

    [Fact]
    public async Task A_compressed_frame_is_unimplemented()
    {
        await _pipe.Writer.WriteAsync(new byte[] { 1, 0, 0, 0, 0 });

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync());

        Assert.Equal(new Status(StatusCode.Unimplemented, "compression is not supported"), error.Status);
    }

    [Fact]
    public async Task A_payload_the_marshaller_rejects_is_an_internal_deserialization_error()
    {
        await _pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 1, 0xFF });

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync());

        Assert.Equal(new Status(StatusCode.Internal, "Error deserializing request message."), error.Status);
    }

    private static byte[] Frame(string message) => MessageFraming.FrameMessage(message, TestMethods.StringMarshaller.Serializer, maxMessageSize: null).ToArray();

    private async Task<List<string>> ReadAllAsync()
    {
        var messages = new List<string>();
        while (await MessageFraming.ReadMessageAsync(_pipe.Reader, TestMethods.StringMarshaller.Deserializer, MaxMessageSize, "request", CancellationToken.None) is (true, var message))
        {
            messages.Add(message);
        }

        return messages;
    }
}
