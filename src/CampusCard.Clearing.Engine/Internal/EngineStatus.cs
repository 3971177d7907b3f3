using CampusCard.Clearing.Domain;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>The engine's state, which admission, reads and the health service follow.</summary>
internal sealed class EngineStatus(ILogger logger)
{
    private volatile EngineState _state = EngineState.Starting;

    public EngineState State => _state;

    public event Action<EngineState>? Changed;

    public bool IsReady => _state == EngineState.Ready;

    public void Set(EngineState state)
    {
        if (_state == state || _state == EngineState.Stopped) return;
        _state = state;
        Log.StateChanged(logger, state);
        Changed?.Invoke(state);
    }

    /// <summary>Fails a call that cannot be admitted in the current state (UNAVAILABLE: retry with the same request id).</summary>
    public void ThrowUnlessReady()
    {
        var state = _state;
        if (state != EngineState.Ready) throw Unavailable(state);
    }

    /// <summary>Why a request is not taken in a state other than Ready: retry it with the same request id.</summary>
    public static EngineUnavailableException Unavailable(EngineState state) => state switch
    {
        EngineState.JournalFailing => new(ErrorReason.JournalFailing,
            "the journal cannot be written now; decided transactions are being retried and new ones are not admitted; retry with the same request_id"),
        EngineState.Stopped => new(ErrorReason.EngineStopped, "the clearing engine is shutting down; retry with the same request_id"),
        _ => new(ErrorReason.EngineRecovering, "the clearing engine is recovering its state from the journal; retry shortly with the same request_id"),
    };
}
