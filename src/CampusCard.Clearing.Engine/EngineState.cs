namespace CampusCard.Clearing.Engine;

public enum EngineState
{
    /// <summary>Not yet recovered: nothing is admitted.</summary>
    Starting,
    /// <summary>Draining the outbox or rebuilding the hot state: nothing is admitted.</summary>
    Recovering,
    Ready,
    /// <summary>Journal writes fail and are being retried: nothing new is admitted until one succeeds.</summary>
    JournalFailing,
    Stopped,
}
