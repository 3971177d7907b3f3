using System.Reflection;
using CampusCard.Clearing.Domain;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>An RPC of the API and the roles the running service lets call it.</summary>
public sealed record RpcTarget(MethodDescriptor Method, IReadOnlyList<CallerRole> Roles)
{
    public string Name => $"{Method.Service.Name}.{Method.Name}";

    public MethodType Type => TypeOf(Method);

    /// <summary>The raw method: bodies go out as given and replies come back as bytes.</summary>
    public Method<byte[], byte[]> Raw { get; } = new(TypeOf(Method), Method.Service.FullName, Method.Name, RawBytes, RawBytes);

    private static MethodType TypeOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        _ => MethodType.DuplexStreaming,
    };

    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(b => b, b => b);
}

/// <summary>
/// Every RPC of every service, from the descriptors generated from protos/ (a new RPC is fuzzed without a change here), with
/// the roles its [Authorize] names on the running service's endpoint.
/// </summary>
public static class RpcCatalog
{
    /// <summary>The services of every .proto file compiled into the contracts assembly.</summary>
    public static IReadOnlyList<MethodDescriptor> Methods() =>
        typeof(Contracts.V1.DebitRequest).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .SelectMany(p => ((FileDescriptor)p!.GetValue(null)!).Services)
            .SelectMany(s => s.Methods)
            .OrderBy(m => m.FullName, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<RpcTarget> Targets(IEndpointRouteBuilder app)
    {
        var roles = app.DataSources.SelectMany(d => d.Endpoints)
            .Where(e => e.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
            .ToDictionary(
                e => e.Metadata.GetMetadata<GrpcMethodMetadata>()!.Method.FullName,
                e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault(a => a.Roles is not null)?.Roles);
        return Methods().Select(m =>
        {
            var named = roles.TryGetValue($"/{m.Service.FullName}/{m.Name}", out var r) && r is not null
                ? r.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : throw new InvalidOperationException($"{m.FullName} has no endpoint naming its roles");
            return new RpcTarget(m, named.Select(n => Caller.TryParseRole(n, out var role) ? role : throw new InvalidOperationException($"unknown role {n}")).ToList());
        }).ToList();
    }
}
