namespace CampusCard.Clearing.Domain;

/// <summary>FNV-1a over the fields that make a request what it is, so a reused request id is caught.</summary>
public static class RequestFingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static long Of(ClearingRequest r)
    {
        var h = Offset;
        h = Mix(h, (long)r.Kind);
        h = Mix(h, r.HolderId);
        h = Mix(h, r.AmountFen);
        h = Mix(h, r.CardIssue);
        h = Mix(h, r.TerminalId);
        h = Mix(h, r.MerchantId);
        h = Mix(h, r.OriginalRequestId);
        h = Mix(h, (long)r.Source);
        h = Mix(h, (long)r.Direction);
        h = Mix(h, r.Channel);
        return (long)h;
    }

    private static ulong Mix(ulong h, long value)
    {
        for (var i = 0; i < 8; i++) { h ^= (byte)(value >> (8 * i)); h *= Prime; }
        return h;
    }

    private static ulong Mix(ulong h, string value)
    {
        foreach (var c in value) { h ^= c; h *= Prime; }
        h ^= 0xFF; h *= Prime;
        return h;
    }
}
