using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// 脱机流水上传: a terminal's offline records, each an <see cref="TransactionKind.OfflineDebit"/> whose request id is the
/// terminal and its sequence number. The hot store keeps a record once per card; a sequence number the journal (or this
/// upload) already holds for another card is refused here, ALREADY_EXISTS, so a terminal that reuses a number is told.
/// Two uploads at once that reuse one number for two cards, both before either is journaled, are not caught.
/// </summary>
public sealed class OfflineRecords(ClearingEngine engine, IOperationReads journal)
{
    /// <summary>Each record's answer, in order; a task that fails carries its refusal.</summary>
    public async Task<IReadOnlyList<Task<ClearingAnswer>>> SubmitAsync(short campus, string terminalId, IReadOnlyList<ClearingRequest> records, CancellationToken ct)
    {
        var cards = new Dictionary<long, string>(await journal.OfflineCardsAsync(campus, terminalId, [.. records.Select(r => r.Ref)], ct));
        var answers = new Task<ClearingAnswer>[records.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var r = records[i];
            var card = cards.TryAdd(r.Ref, r.CardNo) ? r.CardNo : cards[r.Ref];
            answers[i] = card == r.CardNo
                ? Submit(r, ct)
                : Task.FromException<ClearingAnswer>(new RefusedException(ErrorReason.OfflineSequenceTaken,
                    $"terminal_seq {r.Ref} of terminal {terminalId} was recorded for another card; nothing of this record was changed"));
        }
        return answers;
    }

    private Task<ClearingAnswer> Submit(ClearingRequest record, CancellationToken ct)
    {
        try
        {
            return engine.SubmitAsync(record, ct);
        }
        catch (RefusedException e)
        {
            return Task.FromException<ClearingAnswer>(e);
        }
    }
}
