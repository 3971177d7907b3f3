using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Engine;

/// <summary>The answer to one request: in the journal, durably, unless it is a conflict (nothing happened).</summary>
public readonly record struct ClearingAnswer(HotOutcome Outcome, Decision? Decision);

/// <summary>The engine cannot take the request now; nothing was decided. The caller may retry.</summary>
public sealed class EngineUnavailableException(ErrorReason reason, string message) : RefusedException(reason, message);
