namespace CampusCard.Clearing.Grpc;

/// <summary>Writes the responses of a server-streaming call; one write at a time.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message);
}
