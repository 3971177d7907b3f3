using System.Collections.Concurrent;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Finds the hot state each request acts on: a card number through this process's cache or the hot store's card index
/// (a card, once issued, always names the same holder), a person by the number itself. A card the index lacks is asked
/// of the registry, and indexed again when it is there: a Redis Cluster failover may lose the last writes of the master
/// that held the card's index entry, and the journal's registry is the truth. A holder the engine knows to exist is
/// marked, so a hot state found missing for it is lost writes, not an unknown card; a card indexed for a holder whose
/// account was never decided is simply unknown. Cards are known by their number within their campus (<see cref="Campuses.Qualify"/>).
/// A card its campus does not know, presented for a kind a terminal takes across a card group
/// (<see cref="KindDescriptor.AcrossCardGroup"/>), is looked for at the other campuses of the group (<see cref="FindSharedAsync"/>).
/// </summary>
internal sealed class Resolver(IHotStore hot, Directory directory, Func<short, IReadOnlyList<short>> groupOf, TimeProvider clock)
{
    /// <summary>How long a card found (or not, or twice) at the other campuses of a group is taken as found: a group changes by the vendor's setting.</summary>
    public static readonly TimeSpan SharedTtl = TimeSpan.FromSeconds(30);

    private const int MaxShared = 100_000;

    private readonly ConcurrentDictionary<string, CardRef> _cards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SharedCard> _shared = new(StringComparer.Ordinal);

    /// <summary>Where a card its own campus does not know was found in the campus's group: at one campus, at none, or at several (<see cref="Ambiguous"/>).</summary>
    private readonly record struct SharedCard(string PersonNo, short Campus, bool Ambiguous, DateTimeOffset Until);

    public async Task<HotRequest[]> ResolveAsync(IReadOnlyList<ClearingRequest> requests)
    {
        var unseen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in requests)
            if (r.ByCard && !_cards.ContainsKey(CardKey(r))) unseen.Add(CardKey(r));
        if (unseen.Count > 0)
        {
            await FindAsync(unseen);
            var now = clock.GetUtcNow();
            var elsewhere = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in requests)
                if (MayBeShared(r) && !IsFresh(CardKey(r), now)) elsewhere.Add(CardKey(r));
            if (elsewhere.Count > 0) await FindSharedAsync(elsewhere);
        }
        var resolved = new HotRequest[requests.Count];
        for (var i = 0; i < resolved.Length; i++) resolved[i] = Resolve(requests[i]);
        return resolved;
    }

    private HotRequest Resolve(ClearingRequest r)
    {
        if (r.Descriptor.Addressing == Addressing.Merchant) return new(r, HotTarget.Merchant(r.Campus, r.MerchantId));
        if (!r.ByCard) return new(r, HotTarget.Person(r.Campus, r.PersonNo, directory.Knows(r.Campus, r.PersonNo)));
        if (_cards.TryGetValue(CardKey(r), out var card)) return new(r, HotTarget.Person(r.Campus, card.PersonNo, directory.Knows(r.Campus, card.PersonNo)));
        if (!MayBeShared(r) || !_shared.TryGetValue(CardKey(r), out var shared) || shared.Campus == Campuses.None)
            return new(r, HotTarget.NoOneHolds(r.Campus, r.CardNo));
        if (shared.Ambiguous) return new(r with { PreDecline = DeclineReason.CardAmbiguous }, HotTarget.NoOneHolds(r.Campus, r.CardNo));
        return new(r with { HolderCampus = shared.Campus }, HotTarget.Person(shared.Campus, shared.PersonNo, directory.Knows(shared.Campus, shared.PersonNo)));
    }

    /// <summary>A card its campus does not know, for a kind a terminal takes across a card group.</summary>
    private bool MayBeShared(ClearingRequest r) => r.ByCard && r.Descriptor.AcrossCardGroup && !_cards.ContainsKey(CardKey(r));

    private bool IsFresh(string cardKey, DateTimeOffset now) => _shared.TryGetValue(cardKey, out var s) && s.Until > now;

    private static string CardKey(ClearingRequest r) => Campuses.Qualify(r.Campus, r.CardNo);

    /// <summary>A card issued here or read from the registry: requests naming it need no lookup in the hot store.</summary>
    public void Remember(IssuedCard card) => _cards[Campuses.Qualify(card.Campus, card.CardNo)] = new CardRef(card.PersonNo);

    /// <summary>
    /// The holder of a card and their campus, or null when nobody holds it: at <paramref name="campus"/>, or, with
    /// <paramref name="acrossGroup"/>, at exactly one other campus of its card group (a number held at two is nobody's here).
    /// </summary>
    public async Task<(CardRef Card, short Campus)?> CardAsync(short campus, string cardNo, bool acrossGroup = false)
    {
        var key = Campuses.Qualify(campus, cardNo);
        if (!_cards.ContainsKey(key)) await FindAsync([key]);
        if (_cards.TryGetValue(key, out var card)) return (card, campus);
        if (!acrossGroup) return null;
        if (!IsFresh(key, clock.GetUtcNow())) await FindSharedAsync([key]);
        return _shared.TryGetValue(key, out var shared) && shared.Campus != Campuses.None && !shared.Ambiguous
            ? (new CardRef(shared.PersonNo), shared.Campus)
            : null;
    }

    /// <summary>Caches the holders of the cards (by key) the index or the registry knows, and indexes again those the index lost.</summary>
    private async Task FindAsync(IReadOnlyCollection<string> cardKeys)
    {
        var indexed = await hot.ResolveCardsAsync(cardKeys);
        foreach (var (key, card) in indexed) _cards[key] = card;
        var missing = cardKeys.Where(c => !indexed.ContainsKey(c)).Select(Campuses.Unqualify).ToList();
        if (missing.Count == 0) return;
        var found = await Task.WhenAll(missing.Select(c => directory.CardAsync(c.Campus, c.Id, CancellationToken.None).AsTask()));
        foreach (var card in found.OfType<IssuedCard>())
        {
            await hot.AddCardAsync(card);
            Remember(card);
        }
    }

    /// <summary>
    /// Looks for cards (by key) their own campus does not know at the other campuses of its card group, and remembers for
    /// <see cref="SharedTtl"/> where each was found: at one campus, at none, or at several, which is refused, not guessed.
    /// </summary>
    private async Task FindSharedAsync(IReadOnlyCollection<string> cardKeys)
    {
        var candidates = cardKeys.ToDictionary(k => k, k =>
        {
            var (campus, cardNo) = Campuses.Unqualify(k);
            return groupOf(campus).Select(c => Campuses.Qualify(c, cardNo)).ToArray();
        }, StringComparer.Ordinal);
        var unseen = candidates.Values.SelectMany(c => c).Where(c => !_cards.ContainsKey(c)).ToHashSet(StringComparer.Ordinal);
        if (unseen.Count > 0) await FindAsync(unseen);
        var until = clock.GetUtcNow() + SharedTtl;
        if (_shared.Count >= MaxShared) _shared.Clear();
        foreach (var (key, others) in candidates)
        {
            var held = others.Where(_cards.ContainsKey).ToArray();
            _shared[key] = held.Length == 0
                ? new SharedCard("", Campuses.None, false, until)
                : new SharedCard(_cards[held[0]].PersonNo, Campuses.Unqualify(held[0]).Campus, held.Length > 1, until);
        }
    }
}
