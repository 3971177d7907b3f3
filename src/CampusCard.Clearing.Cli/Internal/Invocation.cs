using System.CommandLine;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>One run of a command: its parsed line, the service it calls with its credential, and its output.</summary>
internal sealed class Invocation : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly TimeSpan _timeout;

    private Invocation(ParseResult parse, string address, string token, Output output, CancellationToken cancellation)
    {
        Parse = parse;
        Address = address;
        var channel = GrpcChannel.ForAddress(address);
        _channel = channel;
        _timeout = TimeSpan.FromSeconds(parse.GetValue(GlobalOptions.Timeout));
        Calls = channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        });
        Output = output;
        Cancellation = cancellation;
    }

    public ParseResult Parse { get; }
    /// <summary>Where the service is looked for: --address, $CAMPUSCARD_ADDRESS or the default.</summary>
    public string Address { get; }
    public CallInvoker Calls { get; }
    public Output Output { get; }
    public CancellationToken Cancellation { get; }

    /// <summary>Options of a unary call: the --timeout deadline, and this run's cancellation.</summary>
    public CallOptions Options => new(deadline: DateTime.UtcNow.Add(_timeout), cancellationToken: Cancellation);

    /// <summary>Options of a streaming call, whose deadline is the caller's business.</summary>
    public CallOptions StreamOptions => new(cancellationToken: Cancellation);

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose() => _channel.Dispose();

    /// <summary>Runs <paramref name="run"/> with a connection to the service; failures become exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CliConsole console, CancellationToken cancellation, Func<Invocation, Task<int>> run)
    {
        var output = new Output(console, parse.GetValue(GlobalOptions.Json));
        var address = parse.GetValue(GlobalOptions.Address) ?? console.Variable(GlobalOptions.AddressVariable) ?? GlobalOptions.DefaultAddress;
        try
        {
            var token = Credential.Resolve(parse.GetValue(GlobalOptions.Token), parse.GetValue(GlobalOptions.TokenFile), console.Variable);
            TokenCampus.Require(token, parse.GetValue(GlobalOptions.Campus) ?? console.Variable(GlobalOptions.CampusVariable));
            using var invocation = new Invocation(parse, address, token, output, cancellation);
            return await run(invocation);
        }
        catch (CliFailure failure)
        {
            return output.Fail(failure.ExitCode, failure.Kind, failure.Message);
        }
        catch (RpcException e)
        {
            return output.Fail(RpcErrors.ExitCode(e.StatusCode), RpcErrors.Name(e.StatusCode), RpcErrors.Message(e, address));
        }
        catch (UriFormatException e)
        {
            return output.Fail(ExitCodes.Usage, "USAGE", "--address: " + e.Message);
        }
    }
}
