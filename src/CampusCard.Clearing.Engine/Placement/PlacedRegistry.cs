using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Placement;

/// <summary>
/// The registry of a deployment whose campuses are spread over several databases (<see cref="JournalPlacement"/>), as one:
/// the campuses are the main database's, and each is copied into its own database, whose rows name it; what is looked up
/// within a campus is its database's; a holder's secrets and cards are in the database its id names.
/// </summary>
public sealed class PlacedRegistry(JournalDatabases databases) : IRegistry
{
    private IRegistry Main => databases.Main.Registry;

    /// <summary>
    /// Created in the main database, then recorded in its own. A campus whose copy failed (its database away) is copied
    /// when its creation is sent again, which finds the code taken; and at the next start.
    /// </summary>
    public async Task<Campus?> CreateCampusAsync(string code, string name, short journalDatabase, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = await Main.CreateCampusAsync(code, name, journalDatabase, createdBy, now, cancellationToken);
        var campus = created ?? (await Main.CampusesAsync(cancellationToken)).FirstOrDefault(c => c.Code == code);
        if (campus is not null) await PlaceCampusAsync(campus, createdBy, cancellationToken);
        return created;
    }

    /// <summary>Records the campus in its own database (the main one holds it already), and where it is.</summary>
    public async Task PlaceCampusAsync(Campus campus, string createdBy, CancellationToken cancellationToken)
    {
        databases.Placement.Place(campus.No, campus.JournalDatabase);
        var database = databases.All[campus.JournalDatabase];
        if (database != databases.Main) await database.Registry.PlaceCampusAsync(campus, createdBy, cancellationToken);
    }

    /// <summary>The main database's, each placed where it says (another instance may have created one).</summary>
    public async Task<IReadOnlyList<Campus>> CampusesAsync(CancellationToken cancellationToken)
    {
        var campuses = await Main.CampusesAsync(cancellationToken);
        foreach (var campus in campuses) databases.Placement.Place(campus.No, campus.JournalDatabase);
        return campuses;
    }

    /// <summary>In the campus's database, beside its data: the finance views there read its settings (its UTC offset).</summary>
    public Task<CampusConfiguration> ConfigureCampusAsync(short campus, DateTimeOffset effectiveFrom, CampusSettings settings, string setBy, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        Of(campus).ConfigureCampusAsync(campus, effectiveFrom, settings, setBy, now, cancellationToken);

    /// <summary>Every database's (each holds its campuses'), by campus and version.</summary>
    public async Task<IReadOnlyList<CampusConfiguration>> CampusConfigurationsAsync(CancellationToken cancellationToken) =>
        [.. (await Task.WhenAll(databases.All.Select(d => d.Registry.CampusConfigurationsAsync(cancellationToken)))).SelectMany(c => c)
            .OrderBy(c => c.Campus).ThenBy(c => c.Version)];

    public Task<Holder?> OpenHolderAsync(short campus, string personNo, string name, CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        Of(campus).OpenHolderAsync(campus, personNo, name, cardType, idNumberHash, now, cancellationToken);

    public Task<Holder?> FindHolderAsync(short campus, string personNo, CancellationToken cancellationToken) =>
        Of(campus).FindHolderAsync(campus, personNo, cancellationToken);

    public Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken) =>
        OfHolder(holderId).GetHolderAsync(holderId, cancellationToken);

    public Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken) =>
        OfHolder(holderId).IdNumberHashAsync(holderId, cancellationToken);

    public Task<IssuedCard> IssueCardAsync(short campus, string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Of(campus).IssueCardAsync(campus, cardNo, holderId, now, cancellationToken);

    public Task ReleaseCardAsync(short campus, string cardNo, long holderId, CancellationToken cancellationToken) =>
        Of(campus).ReleaseCardAsync(campus, cardNo, holderId, cancellationToken);

    public Task<IssuedCard?> FindCardAsync(short campus, string cardNo, CancellationToken cancellationToken) =>
        Of(campus).FindCardAsync(campus, cardNo, cancellationToken);

    /// <summary>Every database's, one after another.</summary>
    public async Task<IReadOnlyList<IssuedCard>> AllCardsAsync(CancellationToken cancellationToken) =>
        [.. (await Task.WhenAll(databases.All.Select(d => d.Registry.AllCardsAsync(cancellationToken)))).SelectMany(c => c)];

    public Task<IReadOnlyList<IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken) =>
        OfHolder(holderId).CardsOfAsync(holderId, cancellationToken);

    public Task<(string Hash, long SetBy)?> SecretAsync(long holderId, SecretKind kind, CancellationToken cancellationToken) =>
        OfHolder(holderId).SecretAsync(holderId, kind, cancellationToken);

    public Task SetSecretAsync(long holderId, SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        OfHolder(holderId).SetSecretAsync(holderId, kind, hash, setBy, now, cancellationToken);

    public Task<Merchant?> OpenMerchantAsync(short campus, string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken) =>
        Of(campus).OpenMerchantAsync(campus, merchantId, name, category, now, cancellationToken);

    public Task<Merchant?> FindMerchantAsync(short campus, string merchantId, CancellationToken cancellationToken) =>
        Of(campus).FindMerchantAsync(campus, merchantId, cancellationToken);

    public Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(
        short campus, string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        Of(campus).RegisterTerminalAsync(campus, terminalId, merchantNo, registeredBy, now, cancellationToken);

    public Task<TerminalRegistration?> RevokeTerminalAsync(short campus, string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        Of(campus).RevokeTerminalAsync(campus, terminalId, revokedBy, now, cancellationToken);

    public Task<TerminalRegistration?> FindTerminalAsync(short campus, string terminalId, CancellationToken cancellationToken) =>
        Of(campus).FindTerminalAsync(campus, terminalId, cancellationToken);

    public Task<SubsidyBatch> OpenSubsidyBatchAsync(SubsidyBatch batch, CancellationToken cancellationToken) =>
        Of(batch.Campus).OpenSubsidyBatchAsync(batch, cancellationToken);

    public Task<SubsidyBatch?> FindSubsidyBatchAsync(short campus, string batchId, CancellationToken cancellationToken) =>
        Of(campus).FindSubsidyBatchAsync(campus, batchId, cancellationToken);

    private IRegistry Of(short campus) => databases.OfCampus(campus).Registry;

    private IRegistry OfHolder(long holderId) => databases.OfId(holderId).Registry;
}
