using System.Net;
using System.Text;
using CampusCard.Clearing.Grpc.Tests.TestServer;

namespace CampusCard.Clearing.Grpc.Tests;

/// <summary>Requests no well-behaved client sends, made by hand over HTTP/2; after each the server must still serve.</summary>
public class BadInputTests(GrpcServerFixture server) : ServerTestBase(server)
{
    private static readonly string EchoPath = TestMethods.Echo.FullName;

    [Fact]
    public async Task Garbage_bytes_end_the_call_with_a_clear_internal_status()
    {
        var response = await SendRawAsync(EchoPath, Encoding.ASCII.GetBytes("this is not a gRPC frame"));

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("not a gRPC message frame", response.Get("grpc-message"));
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_body_ending_inside_a_frame_is_an_incomplete_message()
    {
        var response = await SendRawAsync(EchoPath, [0, 0, 0, 0, 10, .. "abc"u8]);

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("Incomplete request message", response.Get("grpc-message"));
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_frame_header_announcing_a_huge_message_is_resource_exhausted()
    {
        var response = await SendRawAsync(EchoPath, [0, 0x7F, 0xFF, 0xFF, 0xFF]);

        Assert.Equal(StatusCode.ResourceExhausted, response.GrpcStatus);
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_compressed_frame_is_unimplemented()
    {
        var response = await SendRawAsync(EchoPath, [1, 0, 0, 0, 1, 0]);

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.Equal("compression is not supported", response.Get("grpc-message"));
    }

    [Fact]
    public async Task A_message_that_does_not_deserialize_is_an_internal_error()
    {
        var response = await SendRawAsync(EchoPath, Frame([0xFF, 0xFE]));

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Equal("Error deserializing request message.", response.Get("grpc-message"));
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_unary_request_without_a_message_is_an_error()
    {
        var response = await SendRawAsync(EchoPath, []);

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task A_unary_request_with_two_messages_is_an_error()
    {
        var response = await SendRawAsync(EchoPath, [.. Frame("a"u8.ToArray()), .. Frame("b"u8.ToArray())]);

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task A_failure_before_the_first_message_is_a_trailers_only_response()
    {
        var response = await SendRawAsync(TestMethods.Fail.FullName, Frame("no"u8.ToArray()));

        Assert.Equal("9", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Empty(response.Trailers);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task A_wrong_content_type_is_http_415()
    {
        var response = await SendRawAsync(EchoPath, Frame("x"u8.ToArray()), contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_grpc_content_type_with_a_subtype_is_accepted()
    {
        var response = await SendRawAsync(EchoPath, Frame("x"u8.ToArray()), contentType: "application/grpc+proto");

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }

    [Fact]
    public async Task A_method_other_than_post_is_http_405()
    {
        var response = await SendRawAsync(EchoPath, [], method: HttpMethod.Put);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.HttpStatus);
    }

    [Fact]
    public async Task Http_1_1_is_refused_with_http_426()
    {
        var response = await SendRawAsync(EchoPath, Frame("x"u8.ToArray()), version: HttpVersion.Version11, address: Server.Http1Address);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.HttpStatus);
        Assert.Contains("HTTP/2", Encoding.UTF8.GetString(response.Body));
    }

    [Fact]
    public async Task Non_grpc_requests_to_unknown_paths_are_left_to_other_endpoints()
    {
        var response = await SendRawAsync("/nope.Service/Nope", [], contentType: "text/plain");

        Assert.Equal(HttpStatusCode.NotFound, response.HttpStatus);
    }

    [Fact]
    public async Task An_invalid_grpc_timeout_is_ignored()
    {
        var response = await SendRawAsync(EchoPath, Frame("x"u8.ToArray()), headers: h => h.Add("grpc-timeout", "soon"));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }
}
