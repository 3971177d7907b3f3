using System.Net;
using System.Net.Http.Headers;
using CampusCard.Clearing.Grpc.Tests.TestServer;

namespace CampusCard.Clearing.Grpc.Tests;

/// <summary>Tests against the shared in-process server: our client, or a raw HTTP/2 client for what ours never sends.</summary>
[Collection(ServerCollection.Name)]
public abstract class ServerTestBase(GrpcServerFixture server)
{
    protected GrpcServerFixture Server { get; } = server;

    protected GrpcChannel Channel => Server.Channel;

    protected Signals Signals => Server.Signals;

    /// <summary>A deadline comfortably in the future, so a hung call fails the test instead of blocking it.</summary>
    protected static CallOptions Patient => new(Deadline: DateTime.UtcNow.AddSeconds(20));

    protected static Task<RpcException> AssertFailsAsync(Func<Task> call) => Assert.ThrowsAsync<RpcException>(call);

    protected async Task AssertServerStillServesAsync()
        => Assert.Equal("still serving", await Channel.UnaryAsync(TestMethods.Echo, "still serving", Patient));

    /// <summary>A gRPC frame around the payload: flag 0 and big-endian length.</summary>
    protected static byte[] Frame(byte[] payload)
        => [0, .. BitConverter.GetBytes(IPAddress.HostToNetworkOrder(payload.Length)), .. payload];

    /// <summary>Sends a hand-made request over HTTP/2 (or another version) and reads the whole response.</summary>
    protected async Task<RawResponse> SendRawAsync(
        string path, byte[] body, string contentType = "application/grpc", HttpMethod? method = null, Version? version = null,
        Action<HttpRequestHeaders>? headers = null, Uri? address = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(address ?? Server.Address, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        headers?.Invoke(request.Headers);
        using var response = await client.SendAsync(request);
        var responseBody = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Headers, response.TrailingHeaders, responseBody);
    }

    protected sealed record RawResponse(HttpStatusCode HttpStatus, string? ContentType, HttpResponseHeaders Headers, HttpResponseHeaders Trailers, byte[] Body)
    {
        /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
        public StatusCode? GrpcStatus => Get("grpc-status") is { } status ? (StatusCode)int.Parse(status) : null;

        public string? Get(string name)
            => Trailers.TryGetValues(name, out var values) || Headers.TryGetValues(name, out values) ? values.Single() : null;
    }
}
