namespace CampusCard.Clearing.Grpc;

/// <param name="Headers">Request metadata.</param>
/// <param name="Deadline">When the call times out (UTC); null or <see cref="DateTime.MaxValue"/> for none.</param>
/// <param name="CancellationToken">Cancels the call: it then fails with CANCELLED.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default);
