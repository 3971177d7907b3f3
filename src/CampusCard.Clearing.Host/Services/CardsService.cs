using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using CampusCard.Clearing.HotStore;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Google.Protobuf.WellKnownTypes;
using static CampusCard.Clearing.Host.Services.ClearingCalls;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Cards: the card office (卡务).</summary>
internal sealed class CardsService(
    IRegistry registry, IHotStore hot, ClearingEngine engine, Directory directory, RegistryChanges registryChanges, TimeProvider clock) : Cards.CardsBase
{
    [Authorize(Roles = Roles.Office)]
    public override async Task<Account> OpenAccount(OpenAccountRequest request, ServerCallContext context)
    {
        Require(
            Validation.Identifier("person_no", request.PersonNo, 32),
            Validation.Text("name", request.Name, 100, required: true),
            Validation.Defined("card_type", (Domain.CardType)request.CardType));
        var holder = await engine.OutsideRecoveryAsync(async () =>
        {
            var opened = await registry.OpenHolderAsync(request.PersonNo, request.Name.Trim(), (Domain.CardType)request.CardType, clock.GetUtcNow(), context.CancellationToken);
            // A retry after a lost answer finds the holder opened: make sure the hot state has it all the same.
            if ((opened ?? await registry.FindHolderAsync(request.PersonNo, context.CancellationToken)) is { } known) await hot.AddHolderAsync(known);
            return opened;
        }, context.CancellationToken);
        if (holder is null) throw new RefusedException(Refusal.AlreadyExists, $"person {request.PersonNo} already has an account");
        directory.Remember(holder);
        return await ToAccountAsync(holder);
    }

    [Authorize(Roles = $"{Roles.Office},{Roles.Kiosk},{Roles.Payments},{Roles.Finance}")]
    public override async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
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
                var found = await engine.ReadCardAsync(request.CardNo);
                holder = found is ({ } state, var card) && state.CardSeq == card.Seq ? await registry.FindHolderAsync(state.PersonNo, context.CancellationToken) : null;
                break;
            default:
                throw RefusedException.Invalid("person_no or card_no is required");
        }
        return holder is null
            ? throw new RefusedException(Refusal.NotFound, $"no account for {request.PersonNo}{request.CardNo}")
            : await ToAccountAsync(holder);
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<Contracts.V1.Merchant> OpenMerchant(OpenMerchantRequest request, ServerCallContext context)
    {
        Require(
            Validation.Identifier("merchant_id", request.MerchantId, 32),
            Validation.Text("name", request.Name, 100, required: true),
            Validation.Defined("category", (Domain.MerchantCategory)request.Category));
        var merchant = await registry.OpenMerchantAsync(request.MerchantId, request.Name.Trim(), (Domain.MerchantCategory)request.Category, clock.GetUtcNow(), context.CancellationToken)
            ?? throw new RefusedException(Refusal.AlreadyExists, $"merchant {request.MerchantId} already exists");
        directory.Remember(merchant);
        return new Contracts.V1.Merchant
        {
            MerchantId = merchant.MerchantId,
            Name = merchant.Name,
            Category = (Contracts.V1.MerchantCategory)merchant.Category,
            OpenedAt = Timestamp.FromDateTimeOffset(merchant.OpenedAt),
        };
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<Contracts.V1.TerminalRegistration> RegisterTerminal(RegisterTerminalRequest request, ServerCallContext context)
    {
        Require(
            Validation.Identifier("terminal_id", request.TerminalId, 32),
            Validation.Identifier("merchant_id", request.MerchantId, 32));
        var merchantNo = await directory.MerchantNoAsync(request.MerchantId, context.CancellationToken);
        if (merchantNo == 0) throw new RefusedException(Refusal.NotFound, $"no merchant {request.MerchantId}");
        var (registration, _) = await registry.RegisterTerminalAsync(request.TerminalId, merchantNo, context.Caller().Subject, clock.GetUtcNow(), context.CancellationToken);
        if (registration.IsRevoked)
            throw new RefusedException(Refusal.FailedPrecondition, $"terminal {request.TerminalId} was revoked; a revoked terminal id is not registered again");
        if (registration.MerchantNo != merchantNo)
            throw new RefusedException(Refusal.FailedPrecondition, $"terminal {request.TerminalId} is registered to merchant {registration.MerchantId}");
        directory.Remember(registration.TerminalId, registration);
        return ToMessage(registration);
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<Contracts.V1.TerminalRegistration> RevokeTerminal(RevokeTerminalRequest request, ServerCallContext context)
    {
        Require(Validation.Identifier("terminal_id", request.TerminalId, 32));
        var registration = await registry.RevokeTerminalAsync(request.TerminalId, context.Caller().Subject, clock.GetUtcNow(), context.CancellationToken)
            ?? throw new RefusedException(Refusal.NotFound, $"terminal {request.TerminalId} was never registered");
        directory.Remember(registration.TerminalId, registration);
        await registryChanges.TerminalChangedAsync(registration.TerminalId);
        return ToMessage(registration);
    }

    private static Contracts.V1.TerminalRegistration ToMessage(Domain.TerminalRegistration registration) => new()
    {
        TerminalId = registration.TerminalId,
        MerchantId = registration.MerchantId,
        RegisteredAt = Timestamp.FromDateTimeOffset(registration.RegisteredAt),
        RevokedAt = registration.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
    };

    private async Task<Account> ToAccountAsync(Holder holder)
    {
        var state = await engine.ReadPersonAsync(holder.PersonNo);
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
