using CampusCard.Clearing.Engine;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class EngineOptionsValidator() : SettingsValidator<EngineOptions>("Engine")
{
    protected override void Check(EngineOptions o, SettingChecks checks)
    {
        checks.AtLeast(nameof(o.MaxBatchSize), o.MaxBatchSize, 1);
        checks.AtLeast(nameof(o.JournalConcurrency), o.JournalConcurrency, 1);
        checks.AtLeast(nameof(o.MaxJournalBatch), o.MaxJournalBatch, 1);
        checks.AtLeast(nameof(o.ParallelJournalBatch), o.ParallelJournalBatch, 1);
        checks.AtLeast(nameof(o.MaxUnjournaledBatches), o.MaxUnjournaledBatches, 1);
        checks.AtLeast(nameof(o.MaxQueuedRequests), o.MaxQueuedRequests, 1);
        checks.AtLeast(nameof(o.CardStatusBuffer), o.CardStatusBuffer, 1);
        checks.NotNegative(nameof(o.MaxBatchDelay), o.MaxBatchDelay);
        checks.NotNegative(nameof(o.OutboxSweepAge), o.OutboxSweepAge);
        checks.NotNegative(nameof(o.AgedRequestLead), o.AgedRequestLead);
        checks.NotNegative(nameof(o.ShutdownGrace), o.ShutdownGrace);
        checks.Positive(nameof(o.JournalRetryMin), o.JournalRetryMin);
        checks.AtLeast(nameof(o.JournalRetryMax), o.JournalRetryMax, o.JournalRetryMin);
        checks.Positive(nameof(o.RecoveryRetryMax), o.RecoveryRetryMax);
        checks.Positive(nameof(o.OutboxSweepInterval), o.OutboxSweepInterval);
        checks.Positive(nameof(o.AgedRequestRefresh), o.AgedRequestRefresh);
        checks.Positive(nameof(o.CardStatusInterval), o.CardStatusInterval);
        checks.Positive(nameof(o.HoldExpiryInterval), o.HoldExpiryInterval);
        checks.Positive(nameof(o.AutoTopUpInterval), o.AutoTopUpInterval);
        // A DateTimeOffset's offset: whole minutes, at most 14 hours either way.
        if (o.UtcOffset.Duration() > TimeSpan.FromHours(14) || o.UtcOffset.Ticks % TimeSpan.TicksPerMinute != 0)
            checks.Fail(nameof(o.UtcOffset), $"is {o.UtcOffset:c}: it must be whole minutes from -14:00:00 to 14:00:00");
    }
}
