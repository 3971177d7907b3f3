using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.LoadGen.Workload;
using Grpc.Core;
using Grpc.Net.Client;
using static CampusCard.Clearing.LoadGen.Service.ServiceSetup;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// What the --mix needs beyond the canteens. Holds: bathhouses BATH-1..n, and a shower terminal SHnnn for each simulated
/// terminal, registered to a bathhouse. Payments: the payees, and for every account an e-wallet topped up from the bank
/// (Funding.TopUpWallet, with a request id derived from the balance it starts from, as the purse credits) and the
/// payment password, set the first time with the card PIN; a rerun finds it set.
/// </summary>
public static class MixSetup
{
    public static string ShowerTerminalId(int terminal) => $"SH{terminal:D3}";

    public static string BathhouseOf(int terminal) => $"BATH-{terminal % ShowerSession.Bathhouses + 1}";

    /// <summary>Opens what the mix needs in one campus and registers the shower terminals of its <paramref name="terminals"/>.</summary>
    public static async Task OpenMerchantsAsync(GrpcChannel channel, Metadata office, LoadOptions options, int[] terminals, CancellationToken cancellationToken)
    {
        if (options.Mix.HoldPercent > 0)
        {
            for (var b = 0; b < ShowerSession.Bathhouses; b++)
            {
                var bathhouse = new OpenMerchantRequest { MerchantId = BathhouseOf(b), Name = $"Bathhouse {b + 1}", Category = MerchantCategory.Bath };
                await OpenMerchantAsync(channel, bathhouse, Call(office, cancellationToken));
            }
            foreach (var t in terminals)
            {
                await RegisterAsync(new Cards.CardsClient(channel), ShowerTerminalId(t), BathhouseOf(t), Call(office, cancellationToken));
            }
        }
        if (options.Mix.PaymentPercent > 0)
        {
            foreach (var (merchantId, name, category) in WalletPayment.Payees)
            {
                await OpenMerchantAsync(channel, new OpenMerchantRequest { MerchantId = merchantId, Name = name, Category = category }, Call(office, cancellationToken));
            }
        }
    }

    /// <summary>Tops the account's e-wallet up to its target and sets its payment password; returns the top-ups made.</summary>
    public static async Task<int> PreparePayerAsync(GrpcChannel channel, Metadata bank, Metadata payments, Account account, long target, CancellationToken cancellationToken)
    {
        var topUps = 0;
        for (var wallet = account.Balances?.WalletFen ?? 0; wallet < target;)
        {
            var funded = await new Funding.FundingClient(channel).TopUpWalletAsync(new TopUpWalletRequest
            {
                RequestId = $"wallet-{account.PersonNo}-{wallet}-{target}",
                PersonNo = account.PersonNo,
                AmountFen = Math.Min(target - wallet, MaxCreditFen),
            }, Call(bank, cancellationToken));
            if (funded.Outcome != Outcome.Approved)
                throw new InvalidOperationException($"topping up the e-wallet of {account.PersonNo} was declined: {funded.DeclineReason}");
            wallet = funded.Balances.WalletFen;
            topUps++;
        }
        if (account.Status?.PaymentPasswordSet == true) return topUps;
        var set = await new Payments.PaymentsClient(channel).SetPasswordAsync(new SetPaymentPasswordRequest
        {
            RequestId = $"password-{account.PersonNo}",
            PersonNo = account.PersonNo,
            Password = WalletPayment.Password,
            Pin = LunchPeak.DefaultPin,
        }, Call(payments, cancellationToken));
        if (set.Outcome != Outcome.Approved)
            throw new InvalidOperationException($"setting the payment password of {account.PersonNo} was declined: {set.DeclineReason}");
        return topUps;
    }
}
