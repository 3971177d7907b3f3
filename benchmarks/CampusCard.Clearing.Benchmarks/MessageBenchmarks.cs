using BenchmarkDotNet.Attributes;
using CampusCard.Clearing.Benchmarks.Infrastructure;
using CampusCard.Clearing.Contracts.V1;
using Google.Protobuf;

namespace CampusCard.Clearing.Benchmarks;

/// <summary>The Debit messages through Google.Protobuf alone, without the gRPC layer.</summary>
[MemoryDiagnoser]
public class MessageBenchmarks
{
    private readonly DebitRequest _request = Samples.DebitRequest();
    private readonly DebitReply _reply = Samples.DebitReply();
    private byte[] _requestBytes = [];
    private byte[] _replyBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _requestBytes = _request.ToByteArray();
        _replyBytes = _reply.ToByteArray();
    }

    [Benchmark]
    public DebitRequest ParseDebitRequest() => DebitRequest.Parser.ParseFrom(_requestBytes);

    [Benchmark]
    public byte[] SerializeDebitRequest() => _request.ToByteArray();

    [Benchmark]
    public DebitReply ParseDebitReply() => DebitReply.Parser.ParseFrom(_replyBytes);

    [Benchmark]
    public byte[] SerializeDebitReply() => _reply.ToByteArray();
}
