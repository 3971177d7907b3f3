using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Grpc;
using Google.Protobuf.WellKnownTypes;
using static CampusCard.Clearing.Host.Services.ClearingCalls;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Cards: the card office (卡务).</summary>
internal sealed class CardsService(IRegistry registry, IHotStore hot, ClearingPipeline pipeline, Directory directory, TimeProvider clock)
{
    public ServerServiceDefinition Bind() => ServerServiceDefinition.CreateBuilder()
        .AddMethod(CardsMethods.OpenAccount, OpenAccount)
        .AddMethod(CardsMethods.GetAccount, GetAccount)
        .AddMethod(CardsMethods.OpenMerchant, OpenMerchant)
        .Build();

    public async Task<Account> OpenAccount(OpenAccountRequest request, ServerCallContext context)
    {
        Require(
            Validation.Identifier("person_no", request.PersonNo, 32),
            Validation.Text("name", request.Name, 100, required: true),
            Validation.Defined("card_type", (Domain.CardType)request.CardType));
        var holder = await pipeline.OutsideRecoveryAsync(context, async () =>
        {
            var opened = await registry.OpenHolderAsync(request.PersonNo, request.Name.Trim(), (Domain.CardType)request.CardType, clock.GetUtcNow(), context.CancellationToken);
            // A retry after a lost answer finds the holder opened: make sure the hot state has it all the same.
            if ((opened ?? await registry.FindHolderAsync(request.PersonNo, context.CancellationToken)) is { } known) await hot.AddHolderAsync(known);
            return opened;
        });
        if (holder is null) throw new RpcException(new Status(StatusCode.AlreadyExists, $"person {request.PersonNo} already has an account"));
        directory.Remember(holder);
        return await ToAccountAsync(holder);
    }

    public async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        Holder? holder;
        switch (request.KeyCase)
        {
            case GetAccountRequest.KeyOneofCase.PersonNo:
                Require(Validation.Identifier("person_no", request.PersonNo, 32));
                holder = await registry.FindHolderAsync(request.PersonNo, context.CancellationToken);
                break;
            case GetAccountRequest.KeyOneofCase.CardNo:
                Require(Validation.Identifier("card_no", request.CardNo, 32));
                holder = CardNumber.TryParse(request.CardNo, out var card) ? await registry.GetHolderAsync(card.HolderId, context.CancellationToken) : null;
                if (holder is not null && holder.CardIssue != card.Issue) holder = null;
                break;
            default:
                throw new RpcException(new Status(StatusCode.InvalidArgument, "person_no or card_no is required"));
        }
        return holder is null
            ? throw new RpcException(new Status(StatusCode.NotFound, $"no account for {request.PersonNo}{request.CardNo}"))
            : await ToAccountAsync(holder);
    }

    public async Task<Contracts.V1.Merchant> OpenMerchant(OpenMerchantRequest request, ServerCallContext context)
    {
        Require(
            Validation.Identifier("merchant_id", request.MerchantId, 32),
            Validation.Text("name", request.Name, 100, required: true),
            Validation.Defined("category", (Domain.MerchantCategory)request.Category));
        var merchant = await registry.OpenMerchantAsync(request.MerchantId, request.Name.Trim(), (Domain.MerchantCategory)request.Category, clock.GetUtcNow(), context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.AlreadyExists, $"merchant {request.MerchantId} already exists"));
        directory.Remember(merchant);
        return new Contracts.V1.Merchant
        {
            MerchantId = merchant.MerchantId,
            Name = merchant.Name,
            Category = (Contracts.V1.MerchantCategory)merchant.Category,
            OpenedAt = Timestamp.FromDateTimeOffset(merchant.OpenedAt),
        };
    }

    private async Task<Account> ToAccountAsync(Holder holder)
    {
        var state = await hot.GetHolderAsync(holder.Id);
        return new Account
        {
            PersonNo = holder.PersonNo,
            Name = holder.Name,
            CardType = (Contracts.V1.CardType)holder.CardType,
            CardNo = holder.Card.ToString(),
            CardState = (Contracts.V1.CardState)(state?.CardState ?? holder.CardState),
            Balances = (state?.Balances ?? default).ToMessage(),
            OpenedAt = Timestamp.FromDateTimeOffset(holder.OpenedAt),
        };
    }
}
