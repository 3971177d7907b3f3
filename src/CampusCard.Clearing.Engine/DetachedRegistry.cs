using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>The registry as the service uses it: a cancellation token ends the wait for a statement, never the statement (<see cref="DetachedJournal"/>).</summary>
public sealed class DetachedRegistry(IRegistry inner) : IRegistry
{
    public IRegistry Inner => inner;

    public Task<Holder?> OpenHolderAsync(string personNo, string name, CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.OpenHolderAsync(personNo, name, cardType, idNumberHash, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Holder?> FindHolderAsync(string personNo, CancellationToken cancellationToken) =>
        inner.FindHolderAsync(personNo, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken) =>
        inner.GetHolderAsync(holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken) =>
        inner.IdNumberHashAsync(holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IssuedCard> IssueCardAsync(string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.IssueCardAsync(cardNo, holderId, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task ReleaseCardAsync(string cardNo, long holderId, CancellationToken cancellationToken) =>
        inner.ReleaseCardAsync(cardNo, holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IssuedCard?> FindCardAsync(string cardNo, CancellationToken cancellationToken) =>
        inner.FindCardAsync(cardNo, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<IssuedCard>> AllCardsAsync(CancellationToken cancellationToken) =>
        inner.AllCardsAsync(CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken) =>
        inner.CardsOfAsync(holderId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<(string Hash, long SetBy)?> SecretAsync(long holderId, SecretKind kind, CancellationToken cancellationToken) =>
        inner.SecretAsync(holderId, kind, CancellationToken.None).WaitAsync(cancellationToken);

    public Task SetSecretAsync(long holderId, SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.SetSecretAsync(holderId, kind, hash, setBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Merchant?> OpenMerchantAsync(string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.OpenMerchantAsync(merchantId, name, category, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<Merchant?> FindMerchantAsync(string merchantId, CancellationToken cancellationToken) =>
        inner.FindMerchantAsync(merchantId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(
        string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RegisterTerminalAsync(terminalId, merchantNo, registeredBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<TerminalRegistration?> RevokeTerminalAsync(string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RevokeTerminalAsync(terminalId, revokedBy, now, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<TerminalRegistration?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken) =>
        inner.FindTerminalAsync(terminalId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<SubsidyBatch> OpenSubsidyBatchAsync(SubsidyBatch batch, CancellationToken cancellationToken) =>
        inner.OpenSubsidyBatchAsync(batch, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<SubsidyBatch?> FindSubsidyBatchAsync(string batchId, CancellationToken cancellationToken) =>
        inner.FindSubsidyBatchAsync(batchId, CancellationToken.None).WaitAsync(cancellationToken);
}
