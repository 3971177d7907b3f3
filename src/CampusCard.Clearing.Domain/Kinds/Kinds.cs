namespace CampusCard.Clearing.Domain;

/// <summary>Every transaction kind's descriptor, by its code.</summary>
public static class Kinds
{
    private static readonly KindDescriptor[] ByCode = Build(
        new DebitKind(), new ReversalKind(), new QuotaTopUpKind(), new CreditKind(), new TransferKind(),
        new OpenCardKind(), new ReportLossKind(), new CancelLossKind(), new ReplaceCardKind(), new FreezeKind(), new UnfreezeKind(),
        new RewriteCardKind(), new CloseAccountKind(), new ChangePinKind(), new ResetPinKind(), new SetLimitsKind());

    public static IEnumerable<KindDescriptor> All => ByCode.Where(d => d is not null);

    public static KindDescriptor Of(TransactionKind kind) =>
        (int)kind < ByCode.Length && ByCode[(int)kind] is { } descriptor
            ? descriptor
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "no descriptor for this kind");

    private static KindDescriptor[] Build(params KindDescriptor[] descriptors)
    {
        var byCode = new KindDescriptor[descriptors.Max(d => (int)d.Kind) + 1];
        foreach (var d in descriptors) byCode[(int)d.Kind] = d;
        return byCode;
    }
}
