using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using Google.Protobuf.WellKnownTypes;
using V1 = CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Host.Services;

/// <summary>What the service adapters share: argument checks, the decision of an answer, reply pieces.</summary>
internal static class ClearingCalls
{
    /// <summary>Refuses the call (INVALID_ARGUMENT) at the first failed rule.</summary>
    public static void Require(params string?[] failures)
    {
        if (Validation.First(failures) is { } failure) throw RefusedException.Invalid(failure);
    }

    public static async Task<Decision> DecideAsync(this ClearingEngine engine, ClearingRequest request, CancellationToken cancellationToken) =>
        DecisionOf(await engine.SubmitAsync(request, cancellationToken), request);

    /// <summary>The decision, or FAILED_PRECONDITION when the request id was used before for different content.</summary>
    public static Decision DecisionOf(ClearingAnswer answer, ClearingRequest request) =>
        answer.Decision ?? throw new RefusedException(Refusal.FailedPrecondition,
            $"request_id {request.RequestId} was already used for a different request; nothing was changed");

    public static V1.Balances ToMessage(this Balances b) => new() { PurseFen = b.PurseFen, WalletFen = b.WalletFen, PendingFen = b.PendingFen };

    public static Timestamp DecidedAt(this Decision d) => Timestamp.FromDateTimeOffset(d.DecidedAt);

    public static V1.Outcome Outcome(this Decision d) => (V1.Outcome)d.Outcome;

    public static V1.DeclineReason Reason(this Decision d) => (V1.DeclineReason)d.Reason;
}
