using System.Globalization;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The request half of an outbox entry: what the journal needs that the record does not hold.
/// Fields are separated by the unit separator, which validation keeps out of every text field.
/// </summary>
internal static class RequestPayload
{
    private const char Separator = '\u001f';

    // Interpolation formats the numbers without boxing them: this runs once per request on the hot path.
    public static string Format(ClearingRequest r) => string.Create(CultureInfo.InvariantCulture,
        $"{(int)r.Kind}\u001f{r.RequestId}\u001f{r.HolderId}\u001f{r.AmountFen}\u001f{r.CardIssue}\u001f{r.TerminalId}\u001f{r.MerchantId}\u001f{r.MerchantNo}\u001f{r.OriginalRequestId}\u001f{(int)r.Source}\u001f{(int)r.Direction}\u001f{r.Channel}\u001f{r.Memo}\u001f{(int)r.PreDecline}");

    public static ClearingRequest Parse(string payload)
    {
        var f = payload.Split(Separator);
        if (f.Length != 14) throw new FormatException("not a request payload");
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return new ClearingRequest
        {
            Kind = (TransactionKind)L(0),
            RequestId = f[1],
            HolderId = L(2),
            AmountFen = L(3),
            CardIssue = (int)L(4),
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
    }
}
