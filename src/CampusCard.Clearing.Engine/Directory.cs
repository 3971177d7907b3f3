using System.Collections.Concurrent;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// Person numbers to holders (and back) and merchant ids to merchants, cached: the mappings never change once
/// made, so a cached entry is never stale. Misses go to the registry and are not cached, so a
/// merchant opened through another instance is found at once.
/// </summary>
public sealed class Directory(IRegistry registry)
{
    private readonly ConcurrentDictionary<string, long> _holders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> _personNos = new();
    private readonly ConcurrentDictionary<string, long> _merchants = new(StringComparer.Ordinal);

    /// <returns>The holder id, or 0 when nobody has this person number.</returns>
    public async ValueTask<long> HolderIdAsync(string personNo, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(personNo, out var id)) return id;
        var holder = await registry.FindHolderAsync(personNo, cancellationToken);
        if (holder is null) return 0;
        Remember(holder);
        return holder.Id;
    }

    /// <returns>The person number, or null when there is no such holder.</returns>
    public async ValueTask<string?> PersonNoAsync(long holderId, CancellationToken cancellationToken)
    {
        if (_personNos.TryGetValue(holderId, out var personNo)) return personNo;
        var holder = await registry.GetHolderAsync(holderId, cancellationToken);
        if (holder is null) return null;
        Remember(holder);
        return holder.PersonNo;
    }

    /// <returns>The merchant's number, or 0 when there is no such merchant.</returns>
    public async ValueTask<long> MerchantNoAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (_merchants.TryGetValue(merchantId, out var no)) return no;
        var merchant = await registry.FindMerchantAsync(merchantId, cancellationToken);
        if (merchant is null) return 0;
        Remember(merchant);
        return merchant.No;
    }

    public void Remember(Holder holder)
    {
        _holders[holder.PersonNo] = holder.Id;
        _personNos[holder.Id] = holder.PersonNo;
    }

    public void Remember(Merchant merchant) => _merchants[merchant.MerchantId] = merchant.No;
}
