using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>A request waiting for its answer.</summary>
internal sealed class PendingRequest(ClearingRequest request, CancellationToken cancellationToken)
    : TaskCompletionSource<ClearingAnswer>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public ClearingRequest Request { get; } = request;
    public CancellationToken CancellationToken { get; } = cancellationToken;
}
