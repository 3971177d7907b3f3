using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using CampusCard.Clearing.Domain;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>
/// A request body that is not the method's message (cut short, garbage, a string that is not UTF-8, nesting past the
/// parser's limit) is INVALID_ARGUMENT naming the message. Grpc.AspNetCore parses the body before any interceptor sees the
/// call and answers a parser's exception with UNKNOWN and an error in the log; in a client stream the parser's
/// InvalidProtocolBufferException, an IOException, read as an unreachable dependency (UNAVAILABLE). So the services are
/// bound as Grpc.AspNetCore's own binder binds them, through the generated BindService, each method with a request
/// marshaller that refuses what does not parse, and each client stream with a reader that refuses a broken framing.
/// </summary>
internal static class StrictRequestParsing
{
    /// <summary>Replaces Grpc.AspNetCore's service method provider; call after AddGrpc and everything that adds services (reflection).</summary>
    public static IServiceCollection AddStrictRequestParsing(this IServiceCollection services)
    {
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(StrictMethodProvider<>));
        return services;
    }

    /// <summary>The method with a request marshaller whose parse failure is INVALID_ARGUMENT.</summary>
    public static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw Malformed($"the request is not a valid {typeof(TRequest).Name}: {e.Message}");
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    /// <summary>INVALID_ARGUMENT with its ErrorInfo reason, as every refusal is answered.</summary>
    private static RpcException Malformed(string message) =>
        RefusalStatus.ToRpcException(new RefusedException(ErrorReason.MalformedMessage, message));

    private sealed class StrictMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
        {
            var bind = BindServiceMethodOf(typeof(TService));
            bind?.Invoke(null, [new Binder<TService>(context), null]);
        }

        /// <summary>The generated static BindService(ServiceBinderBase, TBase) that [BindServiceMethod] on the service's base names.</summary>
        private static MethodInfo? BindServiceMethodOf(Type service)
        {
            for (var type = service; type is not null; type = type.BaseType)
            {
                if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
                    return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                        .Single(m => m.Name == attribute.BindMethodName && m.GetParameters().Length == 2 && m.GetParameters()[1].ParameterType == type);
            }
            return null;
        }
    }

    /// <summary>
    /// A request stream whose broken gRPC framing is INVALID_ARGUMENT (a compressed flag other than 0 and 1, a length prefix past
    /// 2^31 − 1: Grpc.AspNetCore's reader throws InvalidDataException and IOException, which the interceptor would answer
    /// INTERNAL and UNAVAILABLE), and a stream the client reset while it was read CANCELLED.
    /// </summary>
    private sealed class StrictReader<T>(IAsyncStreamReader<T> requests, ServerCallContext context) : IAsyncStreamReader<T>
    {
        public T Current => requests.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await requests.MoveNext(cancellationToken);
            }
            catch (IOException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "the client reset the call while its requests were read"));
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw Malformed($"the request stream is not a sequence of gRPC messages: {e.Message}");
            }
        }
    }

    /// <summary>Adds each method the generated BindService names, with the implementation's override and its attributes ([Authorize]).</summary>
    private sealed class Binder<TService>(ServiceMethodProviderContext<TService> context) : ServiceBinderBase where TService : class
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Strict(method), Metadata(method, [typeof(TRequest), typeof(ServerCallContext)], out var implementation),
                implementation.CreateDelegate<UnaryServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var metadata = Metadata(method, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)], out var implementation);
            var call = implementation.CreateDelegate<ClientStreamingServerMethod<TService, TRequest, TResponse>>();
            context.AddClientStreamingMethod(Strict(method), metadata, (service, requests, ctx) => call(service, new StrictReader<TRequest>(requests, ctx), ctx));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Strict(method), Metadata(method, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)], out var implementation),
                implementation.CreateDelegate<ServerStreamingServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var metadata = Metadata(method, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)], out var implementation);
            var call = implementation.CreateDelegate<DuplexStreamingServerMethod<TService, TRequest, TResponse>>();
            context.AddDuplexStreamingMethod(Strict(method), metadata, (service, requests, responses, ctx) => call(service, new StrictReader<TRequest>(requests, ctx), responses, ctx));
        }

        /// <summary>As Grpc.AspNetCore's binder: the service's attributes, then the method's (which win), and POST only.</summary>
        private static List<object> Metadata(IMethod method, Type[] parameters, out MethodInfo implementation)
        {
            implementation = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {method.Name}");
            return [.. typeof(TService).GetCustomAttributes(inherit: true), .. implementation.GetCustomAttributes(inherit: true), new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];
        }
    }
}
