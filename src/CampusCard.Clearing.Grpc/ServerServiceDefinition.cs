using CampusCard.Clearing.Grpc.Internal;

namespace CampusCard.Clearing.Grpc;

/// <summary>The methods of a service with their handlers, ready to be mapped with <c>MapGrpcService</c>.</summary>
public sealed class ServerServiceDefinition
{
    private ServerServiceDefinition(IReadOnlyDictionary<string, ServerCallHandler> callHandlers)
    {
        CallHandlers = callHandlers;
    }

    /// <summary>Handlers by full method name.</summary>
    internal IReadOnlyDictionary<string, ServerCallHandler> CallHandlers { get; }

    public static Builder CreateBuilder() => new();

    public sealed class Builder
    {
        private readonly Dictionary<string, ServerCallHandler> _callHandlers = new(StringComparer.Ordinal);

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.Unary, handler, new UnaryServerCallHandler<TRequest, TResponse>(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.ClientStreaming, handler, new ClientStreamingServerCallHandler<TRequest, TResponse>(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.ServerStreaming, handler, new ServerStreamingServerCallHandler<TRequest, TResponse>(method, handler));

        public ServerServiceDefinition Build() => new(new Dictionary<string, ServerCallHandler>(_callHandlers));

        private Builder Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType type, Delegate handler, ServerCallHandler callHandler)
        {
            ArgumentNullException.ThrowIfNull(method);
            ArgumentNullException.ThrowIfNull(handler);
            if (method.Type != type)
            {
                throw new ArgumentException($"Method '{method.FullName}' is {method.Type}, but its handler is for {type}.", nameof(method));
            }

            if (!_callHandlers.TryAdd(method.FullName, callHandler))
            {
                throw new ArgumentException($"Method '{method.FullName}' was already added.", nameof(method));
            }

            return this;
        }
    }
}
