using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using MerchantCategory = CampusCard.Clearing.Contracts.V1.MerchantCategory;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>A service test over a <see cref="FuzzWorld"/>: real merchants, terminals and funded accounts a run's seeds name.</summary>
public abstract class FuzzWorldTestBase : ServiceTestBase
{
    public const string DefaultHolderName = "模糊测试";

    /// <summary>Merchants (two canteens with two terminals each, a shower, two payees) and funded accounts with a payment password.</summary>
    protected async Task<FuzzWorld> BuildWorldAsync(int accounts, string holderName = DefaultHolderName)
    {
        var world = new FuzzWorld { Now = Clock.GetUtcNow() };
        var cards = Cards;
        foreach (var (id, category) in new[] { ("FZ-CANTEEN-1", MerchantCategory.Dining), ("FZ-CANTEEN-2", MerchantCategory.Dining), ("FZ-BATH", MerchantCategory.Bath), ("FZ-ELEC", MerchantCategory.Electricity), ("FZ-NET", MerchantCategory.NetworkFee) })
        {
            await CallAsync(cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = id, Name = "模糊 " + id, Category = category });
            world.Merchants.Add(id);
            if (category is MerchantCategory.Electricity or MerchantCategory.NetworkFee)
            {
                world.Payees.Add(id);
                continue;
            }
            for (var t = 1; t <= 2; t++)
            {
                var terminal = new FuzzTerminal($"T-{id}-{t}", id);
                await CallAsync(cards.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = terminal.TerminalId, MerchantId = id });
                world.Terminals.Add(terminal);
            }
        }
        for (var a = 0; a < accounts; a++) await OpenHolderAsync(world, $"FZ{a:D4}", holderName);
        return world;
    }

    /// <summary>Between epochs: two new funded accounts, since the valid requests of the run close some and lock others.</summary>
    protected async Task GrowAsync(FuzzWorld world, long epoch)
    {
        for (var a = 0; a < 2; a++) await OpenHolderAsync(world, $"FZE{epoch:D5}{a}", DefaultHolderName);
    }

    /// <summary>
    /// Opens a funded account with a payment password. The run's own OpenAccount calls may have taken the number (a mutation
    /// of a world holder's person or card number): then the next free one.
    /// </summary>
    private async Task OpenHolderAsync(FuzzWorld world, string personNo, string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = new OpenAccountRequest
            {
                PersonNo = attempt == 0 ? personNo : $"{personNo}-{attempt}",
                Name = name,
                CardType = Contracts.V1.CardType.Student,
                IdNumber = FuzzWorld.IdNumber,
                CardNo = $"88{world.Holders.Count:D8}{attempt:D2}",
            };
            try
            {
                var account = await CallAsync(Cards.OpenAccountAsync, request);
                await CreditAsync(account.PersonNo, 50_000);
                await CallAsync(FundingAs(CallerRole.Bank).TopUpWalletAsync, new TopUpWalletRequest { RequestId = NextId("fzw"), PersonNo = account.PersonNo, AmountFen = 20_000 });
                await CallAsync(new Payments.PaymentsClient(As(CallerRole.Payments)).SetPasswordAsync,
                    new SetPaymentPasswordRequest { RequestId = NextId("fzpw"), PersonNo = account.PersonNo, Password = FuzzWorld.PaymentPassword, Pin = FuzzWorld.DefaultPin });
                world.Holders.Add(new FuzzHolder(account.PersonNo, account.CardNo));
                return;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.AlreadyExists or Grpc.Core.StatusCode.FailedPrecondition && attempt < 10)
            {
            }
        }
    }
}
