namespace CampusCard.Clearing.Domain;

/// <summary>Every transaction kind's descriptor, by its code: each <see cref="KindDescriptor"/> of this assembly, found once.</summary>
public static class Kinds
{
    private static readonly KindDescriptor[] ByCode = Build();

    public static IEnumerable<KindDescriptor> All => ByCode.Where(d => d is not null);

    public static KindDescriptor Of(TransactionKind kind) =>
        (int)kind < ByCode.Length && ByCode[(int)kind] is { } descriptor
            ? descriptor
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "no descriptor for this kind");

    private static KindDescriptor[] Build()
    {
        var descriptors = typeof(KindDescriptor).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(KindDescriptor)) && !t.IsAbstract)
            .Select(t => (KindDescriptor)Activator.CreateInstance(t)!)
            .ToArray();
        var byCode = new KindDescriptor[descriptors.Max(d => (int)d.Kind) + 1];
        foreach (var d in descriptors) byCode[(int)d.Kind] = d;
        return byCode;
    }
}
