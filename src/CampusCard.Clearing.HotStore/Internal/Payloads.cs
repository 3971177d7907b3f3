using System.Text;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The request half of an outbox entry: what the journal needs that the record does not hold. The deciders copy it
/// without reading it. It starts with its format version; a new version appends its fields, so the previous
/// releases' entries (versions 3 to 5) are read by the same code and their outboxes still drain: theirs are the
/// default campus's (version 6 added the campuses of the request and of its caller, version 7 the holder's campus of a
/// shared card).
/// </summary>
internal static class Payloads
{
    public const byte Version = 7;
    private const byte Oldest = 3;

    public static byte[] Write(ClearingRequest r)
    {
        using var stream = new MemoryStream(128);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write((short)r.Kind);
            w.Write(r.RequestId);
            w.Write(r.CardNo);
            w.Write(r.PersonNo);
            w.Write(r.AmountFen);
            w.Write(r.TerminalId);
            w.Write(r.MerchantId);
            w.Write(r.MerchantNo);
            w.Write(r.OriginalRequestId);
            w.Write((short)r.Source);
            w.Write((short)r.Direction);
            w.Write(r.Channel);
            w.Write(r.Memo);
            w.Write((short)r.PreDecline);
            w.Write((short)r.Caller.Role);
            w.Write(r.Caller.Subject);
            w.Write(r.Code);
            w.Write(r.Flag);
            w.Write(r.LimitFen);
            w.Write((short)r.Pin);
            w.Write(r.Ref);
            w.Write(r.OccurredAtMs);
            w.Write(r.Campus);
            w.Write(r.Caller.Campus);
            w.Write(r.HolderCampus);
        }
        return stream.ToArray();
    }

    public static ClearingRequest Read(byte[] payload)
    {
        if (payload.Length == 0 || payload[0] is < Oldest or > Version) throw new FormatException("not an outbox payload of any known format");
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var version = r.ReadByte();
        var request = new ClearingRequest
        {
            Kind = (TransactionKind)r.ReadInt16(),
            RequestId = r.ReadString(),
            Campus = Campuses.Default,
            CardNo = r.ReadString(),
            PersonNo = r.ReadString(),
            AmountFen = r.ReadInt64(),
            TerminalId = r.ReadString(),
            MerchantId = r.ReadString(),
            MerchantNo = r.ReadInt64(),
            OriginalRequestId = r.ReadString(),
            Source = (SystemAccount)r.ReadInt16(),
            Direction = (TransferDirection)r.ReadInt16(),
            Channel = r.ReadString(),
            Memo = r.ReadString(),
            PreDecline = (DeclineReason)r.ReadInt16(),
            Caller = new Caller((CallerRole)r.ReadInt16(), r.ReadString()),
        };
        if (version == Oldest) return request;
        request = request with
        {
            Code = r.ReadInt16(),
            Flag = r.ReadBoolean(),
            LimitFen = r.ReadInt64(),
            Pin = (PinCheck)r.ReadInt16(),
        };
        if (version == 4) return request;
        request = request with { Ref = r.ReadInt64(), OccurredAtMs = r.ReadInt64() };
        if (version == 5) return request;
        request = request with { Campus = r.ReadInt16(), Caller = request.Caller with { Campus = r.ReadInt16() } };
        if (version == 6) return request;
        return request with { HolderCampus = r.ReadInt16() };
    }
}
