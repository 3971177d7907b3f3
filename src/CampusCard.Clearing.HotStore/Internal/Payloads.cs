using System.Globalization;
using System.Text;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The request half of an outbox entry: what the journal needs that the record does not hold. The deciders copy it
/// without reading it. It starts with its format version, so the outbox of the previous release still drains.
/// </summary>
internal static class Payloads
{
    public const byte Version = 3;

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
        }
        return stream.ToArray();
    }

    /// <summary>The request and, for an entry of the previous release, the holder id it named its holder by (else 0).</summary>
    public static (ClearingRequest Request, long LegacyHolderId) Read(byte[] payload)
    {
        if (payload.Length == 0 || payload[0] != Version) return ReadVersion2(Encoding.UTF8.GetString(payload));
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        r.ReadByte();
        var request = new ClearingRequest
        {
            Kind = (TransactionKind)r.ReadInt16(),
            RequestId = r.ReadString(),
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
        };
        var role = (CallerRole)r.ReadInt16();
        return (request with { Caller = new Caller(role, r.ReadString()) }, 0);
    }

    /// <summary>
    /// The payload of the previous release: fourteen fields in text, separated by the unit separator, naming the
    /// holder by id (kind, request id, holder, amount, card issue, terminal, merchant id, merchant no, original
    /// request id, source, direction, channel, memo, pre-decline). A card-addressed request named the card whose
    /// number the holder id and issue make; a person-addressed one is named by person once the holder is looked up.
    /// </summary>
    private static (ClearingRequest, long) ReadVersion2(string payload)
    {
        var f = payload.Split('\u001f');
        if (f.Length != 14) throw new FormatException("not an outbox payload of any known format");
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        var kind = (TransactionKind)L(0);
        var holderId = L(2);
        var request = new ClearingRequest
        {
            Kind = kind,
            RequestId = f[1],
            CardNo = Kinds.Of(kind).Addressing == Addressing.Card && holderId > 0 ? new CardNumber(holderId, (int)L(4)).ToString() : "",
            AmountFen = L(3),
            TerminalId = f[5],
            MerchantId = f[6],
            MerchantNo = L(7),
            OriginalRequestId = f[8],
            Source = (SystemAccount)L(9),
            Direction = (TransferDirection)L(10),
            Channel = f[11],
            Memo = f[12],
            PreDecline = (DeclineReason)L(13),
        };
        return (request, holderId);
    }
}
