using System.Text;

namespace CampusCard.Clearing.Grpc.Tests.TestServer;

/// <summary>The methods of the test service <c>test.Tests</c>; messages are UTF-8 strings.</summary>
public static class TestMethods
{
    public const string ServiceName = "test.Tests";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static readonly Marshaller<string> StringMarshaller = Marshallers.Create<string>(
        (value, writer) => StrictUtf8.GetBytes(value, writer),
        sequence => StrictUtf8.GetString(sequence));

    public static readonly Method<string, string> Echo = Unary(nameof(Echo));

    /// <summary>Copies the x- request headers into the trailers, plus x-header-keys (all header keys), x-deadline and x-peer; "fail" ends with ABORTED.</summary>
    public static readonly Method<string, string> EchoMetadata = Unary(nameof(EchoMetadata));

    /// <summary>Throws an RpcException with FAILED_PRECONDITION, the request as its detail and an x-failed trailer.</summary>
    public static readonly Method<string, string> Fail = Unary(nameof(Fail));

    /// <summary>Throws an InvalidOperationException whose message must not reach the client.</summary>
    public static readonly Method<string, string> Throw = Unary(nameof(Throw));

    /// <summary>Signals "{request}:started", waits for cancellation, signals "{request}:cancelled".</summary>
    public static readonly Method<string, string> WaitForCancellation = Unary(nameof(WaitForCancellation));

    /// <summary>Signals "{request}:started" and ignores its token until the test sets "{request}:release".</summary>
    public static readonly Method<string, string> IgnoreCancellation = Unary(nameof(IgnoreCancellation));

    /// <summary>Request "count,size": streams count messages of size characters.</summary>
    public static readonly Method<string, string> Stream = ServerStreaming(nameof(Stream));

    /// <summary>Streams the request once, then throws DATA_LOSS with the request as detail and an x-failed trailer.</summary>
    public static readonly Method<string, string> StreamThenFail = ServerStreaming(nameof(StreamThenFail));

    /// <summary>Streams "tick", signals "{request}:started", waits for cancellation, signals "{request}:cancelled".</summary>
    public static readonly Method<string, string> StreamUntilCancelled = ServerStreaming(nameof(StreamUntilCancelled));

    /// <summary>Answers "{count}:{all requests concatenated}".</summary>
    public static readonly Method<string, string> Concat = new(MethodType.ClientStreaming, ServiceName, nameof(Concat), StringMarshaller, StringMarshaller);

    public static Method<string, string> Unknown(string serviceName, string name) => new(MethodType.Unary, serviceName, name, StringMarshaller, StringMarshaller);

    private static Method<string, string> Unary(string name) => new(MethodType.Unary, ServiceName, name, StringMarshaller, StringMarshaller);

    private static Method<string, string> ServerStreaming(string name) => new(MethodType.ServerStreaming, ServiceName, name, StringMarshaller, StringMarshaller);
}
