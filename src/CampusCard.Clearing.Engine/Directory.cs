using System.Collections.Concurrent;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// Person numbers to holders (and back), merchant ids to merchants and terminal registrations, cached; each looked up
/// within its campus (the caches key them by <see cref="Campuses.Qualify"/>).
/// Holder and merchant mappings never change once made, so a cached entry is never stale. A terminal's
/// registration can be revoked: the instance that revokes it forgets it at once, other instances when they
/// are told (<see cref="ForgetTerminal"/>) or when the entry is older than <see cref="TerminalTtl"/>; an
/// unknown terminal is remembered as unknown for as long, so a stray credential cannot load the database.
/// A terminal's registration is read once at a time, for every call that needs it, and no caller's leaving cancels
/// the read (<see cref="DetachedJournal"/>): a stalled database holds up only the calls of terminals never read.
/// </summary>
public sealed class Directory(IRegistry registry, TimeProvider clock)
{
    public static readonly TimeSpan TerminalTtl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, long> _holders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Merchant> _merchants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (TerminalRegistration? Registration, DateTimeOffset Until)> _terminals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TerminalRegistration?>> _reading = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _noCards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Campus? Campus, DateTimeOffset Until)> _campuses = new(StringComparer.Ordinal);

    /// <returns>The holder id, or 0 when nobody has this person number.</returns>
    public async ValueTask<long> HolderIdAsync(short campus, string personNo, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(Campuses.Qualify(campus, personNo), out var id)) return id;
        var holder = await registry.FindHolderAsync(campus, personNo, cancellationToken);
        if (holder is null) return 0;
        Remember(holder);
        return holder.Id;
    }

    /// <summary>Whether this process has seen the person's account (no lookup: the hot path asks it for every request).</summary>
    public bool Knows(short campus, string personNo) => _holders.ContainsKey(Campuses.Qualify(campus, personNo));

    /// <returns>The merchant's number, or 0 when there is no such merchant.</returns>
    public async ValueTask<long> MerchantNoAsync(short campus, string merchantId, CancellationToken cancellationToken) =>
        (await MerchantAsync(campus, merchantId, cancellationToken))?.No ?? 0;

    /// <returns>The merchant, or null when there is no such merchant.</returns>
    public async ValueTask<Merchant?> MerchantAsync(short campus, string merchantId, CancellationToken cancellationToken)
    {
        if (_merchants.TryGetValue(Campuses.Qualify(campus, merchantId), out var cached)) return cached;
        var merchant = await registry.FindMerchantAsync(campus, merchantId, cancellationToken);
        if (merchant is not null) Remember(merchant);
        return merchant;
    }

    /// <returns>The terminal's registration (revoked or not), or null when it was never registered.</returns>
    /// <remarks>
    /// An entry past its age is still the answer while it is read again, and while the registry cannot be read: a
    /// registration changes only by a registry write, which every instance is told of (<see cref="ForgetTerminal"/>), so
    /// the age only bounds a message lost; and a terminal's calls keep reaching the engine.
    /// </remarks>
    public async ValueTask<TerminalRegistration?> TerminalAsync(short campus, string terminalId, CancellationToken cancellationToken)
    {
        var key = Campuses.Qualify(campus, terminalId);
        var known = _terminals.TryGetValue(key, out var cached);
        if (known && cached.Until > clock.GetUtcNow()) return cached.Registration;
        var reading = ReadTerminal(key);
        return known ? cached.Registration : await reading.WaitAsync(cancellationToken);
    }

    /// <summary>The read of the terminal's registration in flight, or a new one: remembered when it ends, unless the terminal was forgotten meanwhile.</summary>
    /// <param name="terminalId">The terminal's id within its campus (<see cref="Campuses.Qualify"/>).</param>
    private Task<TerminalRegistration?> ReadTerminal(string terminalId)
    {
        var read = new TaskCompletionSource<TerminalRegistration?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _reading.GetOrAdd(terminalId, read);
        if (running == read) _ = CompleteAsync(terminalId, read);
        return running.Task;
    }

    private async Task CompleteAsync(string terminalId, TaskCompletionSource<TerminalRegistration?> read)
    {
        try
        {
            var (campus, id) = Campuses.Unqualify(terminalId);
            var registration = await registry.FindTerminalAsync(campus, id, CancellationToken.None);
            // Forgotten meanwhile (another instance changed it): what was read may be older than the change.
            if (_reading.TryRemove(KeyValuePair.Create(terminalId, read))) Keep(terminalId, registration);
            read.SetResult(registration);
        }
        catch (Exception e)
        {
            _reading.TryRemove(KeyValuePair.Create(terminalId, read));
            read.SetException(e);
        }
    }

    /// <returns>The card as the registry has it, or null when it was never issued.</returns>
    /// <remarks>A card found never issued is taken as such for <see cref="NoCardTtl"/> without asking again: a stray card number cannot load the database.</remarks>
    public async ValueTask<IssuedCard?> CardAsync(short campus, string cardNo, CancellationToken cancellationToken)
    {
        var key = Campuses.Qualify(campus, cardNo);
        if (_noCards.TryGetValue(key, out var until) && until > clock.GetUtcNow()) return null;
        var card = await registry.FindCardAsync(campus, cardNo, cancellationToken);
        if (card is not null) return card;
        if (_noCards.Count >= MaxNoCards) _noCards.Clear();
        _noCards[key] = clock.GetUtcNow() + NoCardTtl;
        return null;
    }

    public static readonly TimeSpan NoCardTtl = TimeSpan.FromSeconds(30);
    private const int MaxNoCards = 100_000;

    /// <summary>Every campus of the deployment (read each time: campuses are few, and another instance may have created one).</summary>
    public Task<IReadOnlyList<Campus>> CampusesAsync(CancellationToken cancellationToken) => registry.CampusesAsync(cancellationToken);

    /// <returns>The campus of the code, or null when the deployment has none (remembered for <see cref="NoCardTtl"/>, as an unknown card).</returns>
    /// <remarks>A campus, once created, keeps its number and code: a found one is cached for good.</remarks>
    public async ValueTask<Campus?> CampusAsync(string code, CancellationToken cancellationToken)
    {
        if (_campuses.TryGetValue(code, out var known) && (known.Campus is not null || known.Until > clock.GetUtcNow())) return known.Campus;
        var campus = (await registry.CampusesAsync(cancellationToken)).FirstOrDefault(c => c.Code == code);
        _campuses[code] = (campus, clock.GetUtcNow() + NoCardTtl);
        return campus;
    }

    /// <summary>A campus just created here: tokens naming it are taken at once.</summary>
    public void Remember(Campus campus) => _campuses[campus.Code] = (campus, DateTimeOffset.MaxValue);

    /// <summary>Every card number the card office issued, and whose it is (a card, once issued, always names its holder).</summary>
    public Task<IReadOnlyList<IssuedCard>> IssuedCardsAsync(CancellationToken cancellationToken) => registry.AllCardsAsync(cancellationToken);

    public void Remember(Holder holder) => Remember(holder.Campus, holder.Id, holder.PersonNo);

    public void Remember(short campus, long holderId, string personNo)
    {
        _holders[Campuses.Qualify(campus, personNo)] = holderId;
    }

    public void Remember(Merchant merchant) => _merchants[Campuses.Qualify(merchant.Campus, merchant.MerchantId)] = merchant;

    /// <summary>A registration the card office just wrote: it stands over a read in flight, which may be older.</summary>
    public void Remember(short campus, string terminalId, TerminalRegistration? registration)
    {
        var key = Campuses.Qualify(campus, terminalId);
        _reading.TryRemove(key, out _);
        Keep(key, registration);
    }

    private void Keep(string terminalId, TerminalRegistration? registration) => _terminals[terminalId] = (registration, clock.GetUtcNow() + TerminalTtl);

    /// <summary>Another instance changed this terminal's registration: read it again at its next call.</summary>
    public void ForgetTerminal(short campus, string terminalId)
    {
        var key = Campuses.Qualify(campus, terminalId);
        _reading.TryRemove(key, out _);
        _terminals.TryRemove(key, out _);
    }
}
