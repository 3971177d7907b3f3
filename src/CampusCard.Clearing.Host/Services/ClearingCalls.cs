using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Grpc;
using Google.Protobuf.WellKnownTypes;
using V1 = CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Host.Services;

/// <summary>What the service adapters share: argument checks, submission with its error mapping, reply pieces.</summary>
internal static class ClearingCalls
{
    /// <summary>Fails the call with INVALID_ARGUMENT at the first failed rule.</summary>
    public static void Require(params string?[] failures)
    {
        if (Validation.First(failures) is { } failure) throw new RpcException(new Status(StatusCode.InvalidArgument, failure));
    }

    public static async Task<Decision> SubmitAsync(this ClearingPipeline pipeline, ClearingRequest request, ServerCallContext context)
    {
        ClearingAnswer answer;
        try
        {
            answer = await pipeline.SubmitAsync(request, context.CancellationToken);
        }
        catch (EngineUnavailableException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        return answer.Decision ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"request_id {request.RequestId} was already used for a different request; nothing was changed"));
    }

    /// <summary>A change to the hot state beside the pipeline; UNAVAILABLE while the engine is not ready.</summary>
    public static async Task<T> OutsideRecoveryAsync<T>(this ClearingPipeline pipeline, ServerCallContext context, Func<Task<T>> change)
    {
        try
        {
            return await pipeline.OutsideRecoveryAsync(change, context.CancellationToken);
        }
        catch (EngineUnavailableException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }

    public static (long HolderId, int Issue, DeclineReason PreDecline) ResolveCard(string cardNo) =>
        CardNumber.TryParse(cardNo, out var card) ? (card.HolderId, card.Issue, DeclineReason.None) : (0, 0, DeclineReason.UnknownCard);

    public static V1.Balances ToMessage(this Balances b) => new() { PurseFen = b.PurseFen, WalletFen = b.WalletFen, PendingFen = b.PendingFen };

    public static Timestamp DecidedAt(this Decision d) => Timestamp.FromDateTimeOffset(d.DecidedAt);

    public static V1.Outcome Outcome(this Decision d) => (V1.Outcome)d.Outcome;

    public static V1.DeclineReason Reason(this Decision d) => (V1.DeclineReason)d.Reason;
}
