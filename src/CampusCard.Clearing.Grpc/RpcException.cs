namespace CampusCard.Clearing.Grpc;

/// <summary>Thrown when a call ends with a status other than OK; thrown by a handler to end its call with that status.</summary>
public class RpcException : Exception
{
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, innerException: null)
    {
    }

    internal RpcException(Status status, Metadata trailers, Exception? innerException)
        : base(status.ToString(), innerException)
    {
        Status = status;
        Trailers = trailers;
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public Metadata Trailers { get; }
}
