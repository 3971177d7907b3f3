namespace CampusCard.Clearing.LoadGen.Baseline;

/// <summary>
/// A classic design the engine is measured against: one stored-procedure call per swipe, in a schema of its own in the
/// journal's database. The designs share the signatures of debit() and reverse(), so their terminals are the same; their
/// SQL (Baseline/[prefix]schema.sql, seed.sql, books.sql) differs in what a swipe locks and writes, and in how the books
/// are checked afterwards.
/// </summary>
public sealed record BaselineDesign(LoadMode Mode, string Schema, string FilePrefix, char RunLetter)
{
    /// <summary>A swipe locks the purse and the merchant rows, updates both, and writes the transaction and two postings.</summary>
    public static readonly BaselineDesign Classic = new(LoadMode.Baseline, "baseline", "", 'C');

    /// <summary>A swipe locks only the purse row, updates it, and writes one journal row; merchant balances are derived from the journal.</summary>
    public static readonly BaselineDesign Lean = new(LoadMode.BaselineLean, "baseline_lean", "lean-", 'L');

    public static BaselineDesign Of(LoadMode mode) => mode == LoadMode.BaselineLean ? Lean : Classic;

    /// <summary>The design's SQL file <paramref name="name"/> (schema, seed or books), embedded in this assembly.</summary>
    public string Sql(string name)
    {
        var resource = $"Baseline.{FilePrefix}{name}.sql";
        using var stream = typeof(BaselineDesign).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
