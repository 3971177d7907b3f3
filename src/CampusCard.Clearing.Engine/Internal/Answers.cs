using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>Answers the callers of a batch once it is in the journal; a retry once its original is.</summary>
internal sealed class Answers(IDecisionJournal journal, InFlightBatches inFlight, TimeProvider clock)
{
    private const int ReplayLookups = 10;

    public void Answer(DecidedWork work)
    {
        inFlight.Journaled(work);
        work.Written.TrySetResult();
        for (var i = 0; i < work.Batch.Length; i++)
        {
            var pending = work.Batch[i];
            var result = work.Results[i];
            var journaled = work.Journaled.Contains((pending.Request.Scope, pending.Request.RequestId));
            if (result.Outcome != HotOutcome.Replay || journaled) pending.TrySetResult(new ClearingAnswer(result.Outcome, result.Decision));
            else _ = AnswerReplayAsync(pending, result.Decision!);
        }
    }

    /// <summary>A retry is answered once its original is in the journal, which may be another instance's job.</summary>
    private async Task AnswerReplayAsync(PendingRequest pending, Decision decision)
    {
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                if (inFlight.Find(decision.TransactionId) is { } written)
                {
                    await written;
                    break;
                }
                if (inFlight.WasJournaled(decision.TransactionId)) break;
                if (await journal.ContainsAsync(decision.TransactionId, pending.CancellationToken)) break;
                if (attempt == ReplayLookups)
                    throw new EngineUnavailableException(ErrorReason.FirstAttemptPending, "the first attempt of this request is still being recorded; retry with the same request_id");
                await Task.Delay(TimeSpan.FromMilliseconds(20), clock, pending.CancellationToken);
            }
            pending.TrySetResult(new ClearingAnswer(HotOutcome.Replay, decision));
        }
        catch (OperationCanceledException) when (pending.CancellationToken.IsCancellationRequested)
        {
            pending.TrySetCanceled(pending.CancellationToken);
        }
        catch (Exception e) when (e is not EngineUnavailableException)
        {
            pending.TrySetException(new EngineUnavailableException(ErrorReason.DependencyUnavailable, "the journal cannot be reached to confirm the first answer; retry with the same request_id"));
        }
        catch (EngineUnavailableException e)
        {
            pending.TrySetException(e);
        }
    }
}
