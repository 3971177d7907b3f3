using CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>
/// A payment of the --mix: a cardholder pays a payee of the e-payment platform (electricity, network fee) from the
/// e-wallet with the payment password, which the setup sets for every account the first time with the card PIN.
/// </summary>
public static class WalletPayment
{
    public const long MinAmountFen = 500;
    public const long MaxAmountFen = 5_000;

    /// <summary>Every load-generator account's payment password: six digits that are not the card PIN (art. 18).</summary>
    public const string Password = "802468";

    public static readonly (string MerchantId, string Name, MerchantCategory Category)[] Payees =
    [
        ("PAYEE-ELECTRICITY", "Dormitory electricity", MerchantCategory.Electricity),
        ("PAYEE-NETWORK-FEE", "Campus network fee", MerchantCategory.NetworkFee),
    ];

    public static long NextAmount(Random random) => random.NextInt64(MinAmountFen, MaxAmountFen + 1);
}
