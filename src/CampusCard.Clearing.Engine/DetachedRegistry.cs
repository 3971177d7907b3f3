using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>The registry as the service uses it: a cancellation token ends the wait for a statement, never the statement (<see cref="DetachedJournal"/>).</summary>
public sealed class DetachedRegistry(IRegistry inner) : IRegistry
{
    public IRegistry Inner => inner;

    public Task<Campus?> CreateCampusAsync(string code, string name, short journalDatabase, string createdBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CreateCampusAsync(code, name, journalDatabase, createdBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task PlaceCampusAsync(Campus campus, string createdBy, CancellationToken cancellationToken) =>
        inner.PlaceCampusAsync(campus, createdBy, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<Campus>> CampusesAsync(CancellationToken cancellationToken) =>
        inner.CampusesAsync(CancellationToken.None).WaitAsync(cancellationToken);

    public Task<CampusConfiguration> ConfigureCampusAsync(short campus, DateTimeOffset effectiveFrom, CampusSettings settings, string setBy, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        inner.ConfigureCampusAsync(campus, effectiveFrom, settings, setBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<CampusConfiguration>> CampusConfigurationsAsync(CancellationToken cancellationToken) =>
        inner.CampusConfigurationsAsync(CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Holder?> OpenHolderAsync(short campus, string personNo, string name, CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.OpenHolderAsync(campus, personNo, name, cardType, idNumberHash, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Holder?> FindHolderAsync(short campus, string personNo, CancellationToken cancellationToken) =>
        inner.FindHolderAsync(campus, personNo, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken) =>
        inner.GetHolderAsync(holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken) =>
        inner.IdNumberHashAsync(holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IssuedCard> IssueCardAsync(short campus, string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.IssueCardAsync(campus, cardNo, holderId, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task ReleaseCardAsync(short campus, string cardNo, long holderId, CancellationToken cancellationToken) =>
        inner.ReleaseCardAsync(campus, cardNo, holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IssuedCard?> FindCardAsync(short campus, string cardNo, CancellationToken cancellationToken) =>
        inner.FindCardAsync(campus, cardNo, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<IssuedCard>> AllCardsAsync(CancellationToken cancellationToken) =>
        inner.AllCardsAsync(CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken) =>
        inner.CardsOfAsync(holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<(string Hash, long SetBy)?> SecretAsync(long holderId, SecretKind kind, CancellationToken cancellationToken) =>
        inner.SecretAsync(holderId, kind, CancellationToken.None).WaitAsync(cancellationToken);

    public Task SetSecretAsync(long holderId, SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.SetSecretAsync(holderId, kind, hash, setBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Merchant?> OpenMerchantAsync(short campus, string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.OpenMerchantAsync(campus, merchantId, name, category, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Merchant?> FindMerchantAsync(short campus, string merchantId, CancellationToken cancellationToken) =>
        inner.FindMerchantAsync(campus, merchantId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(
        short campus, string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RegisterTerminalAsync(campus, terminalId, merchantNo, registeredBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<TerminalRegistration?> RevokeTerminalAsync(short campus, string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RevokeTerminalAsync(campus, terminalId, revokedBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<TerminalRegistration?> FindTerminalAsync(short campus, string terminalId, CancellationToken cancellationToken) =>
        inner.FindTerminalAsync(campus, terminalId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<SubsidyBatch> OpenSubsidyBatchAsync(SubsidyBatch batch, CancellationToken cancellationToken) =>
        inner.OpenSubsidyBatchAsync(batch, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<SubsidyBatch?> FindSubsidyBatchAsync(short campus, string batchId, CancellationToken cancellationToken) =>
        inner.FindSubsidyBatchAsync(campus, batchId, CancellationToken.None).WaitAsync(cancellationToken);
}
