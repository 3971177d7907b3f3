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
/// </summary>
internal sealed class Resolver(IHotStore hot, Directory directory)
{
    private readonly ConcurrentDictionary<string, CardRef> _cards = new(StringComparer.Ordinal);

    public async Task<HotRequest[]> ResolveAsync(IReadOnlyList<ClearingRequest> requests)
    {
        var unseen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in requests)
            if (r.ByCard && !_cards.ContainsKey(CardKey(r))) unseen.Add(CardKey(r));
        if (unseen.Count > 0) await FindAsync(unseen);
        var resolved = new HotRequest[requests.Count];
        for (var i = 0; i < resolved.Length; i++) resolved[i] = new HotRequest(requests[i], Target(requests[i]));
        return resolved;
    }

    private HotTarget Target(ClearingRequest r)
    {
        if (r.Descriptor.Addressing == Addressing.Merchant) return HotTarget.Merchant(r.Campus, r.MerchantId);
        if (!r.ByCard) return HotTarget.Person(r.Campus, r.PersonNo, directory.Knows(r.Campus, r.PersonNo));
        return _cards.TryGetValue(CardKey(r), out var card)
            ? HotTarget.Person(r.Campus, card.PersonNo, directory.Knows(r.Campus, card.PersonNo))
            : HotTarget.NoOneHolds(r.Campus, r.CardNo);
    }

    private static string CardKey(ClearingRequest r) => Campuses.Qualify(r.Campus, r.CardNo);

    /// <summary>A card issued here or read from the registry: requests naming it need no lookup in the hot store.</summary>
    public void Remember(IssuedCard card) => _cards[Campuses.Qualify(card.Campus, card.CardNo)] = new CardRef(card.PersonNo);

    /// <summary>The holder of a card, or null when nobody holds it.</summary>
    public async Task<CardRef?> CardAsync(short campus, string cardNo)
    {
        var key = Campuses.Qualify(campus, cardNo);
        if (!_cards.ContainsKey(key)) await FindAsync([key]);
        return _cards.TryGetValue(key, out var card) ? card : null;
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
}
