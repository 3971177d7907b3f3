namespace CampusCard.Clearing.Domain;

/// <summary>
/// Every code the engine stores, as (type, code, name) rows: what the journal's codes table holds, written from these
/// enums by each journal provider, so no SQL copy is typed by hand.
/// </summary>
public static class CodeTable
{
    public static IEnumerable<(string Type, short Code, string Name)> Rows =>
        Of<TransactionKind>("transaction_kind")
            .Concat(Of<Outcome>("outcome"))
            .Concat(Of<DeclineReason>("decline_reason"))
            .Concat(Of<Effect>("effect"))
            .Concat(Of<AccountKind>("account_kind"))
            .Concat(Of<SystemAccount>("system_account"))
            .Concat(Of<CardType>("card_type"))
            .Concat(Of<CardState>("card_state"))
            .Concat(Of<FreezeReason>("freeze_reason"))
            .Concat(Of<ReplaceReason>("replace_reason"))
            .Concat(Of<MerchantCategory>("merchant_category"))
            .Concat(Of<TransferDirection>("transfer_direction"))
            .Concat(Of<PinCheck>("pin_check"))
            .Concat(Of<CallerRole>("caller_role"));

    /// <summary>A code's name as SQL shows it: "insufficient_funds".</summary>
    public static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static IEnumerable<(string, short, string)> Of<TEnum>(string type) where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => (type, Convert.ToInt16(v, System.Globalization.CultureInfo.InvariantCulture), SnakeCase(v.ToString())));
}
