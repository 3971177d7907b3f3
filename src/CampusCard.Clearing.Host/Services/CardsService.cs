using CampusCard.Clearing.Contracts.V1;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;
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
using SubsidyRow = CampusCard.Clearing.Engine.SubsidyRow;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Cards: the card office (卡务).</summary>
internal sealed class CardsService(
    IRegistry registry, ClearingEngine engine, CardOffice office, Subsidies subsidies, Directory directory, RegistryChanges registryChanges, TimeProvider clock)
    : Cards.CardsBase
{
    /// <summary>Rows of one subsidy upload at most: tens of thousands are a campus's batch.</summary>
    public const int MaxSubsidyRows = 200_000;

    [Authorize(Roles = Roles.Office)]
    public override async Task<IssueSubsidiesReply> IssueSubsidies(IAsyncStreamReader<SubsidyUpload> requestStream, ServerCallContext context)
    {
        var rows = new List<SubsidyRow>();
        string? batchId = null;
        DateTimeOffset? deadline = null;
        var memo = "";
        await foreach (var upload in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (batchId is null)
            {
                Validation.Require(Time("claim_deadline", upload.ClaimDeadline));
                batchId = upload.BatchId;
                deadline = upload.ClaimDeadline?.ToDateTimeOffset();
                memo = upload.Memo;
            }
            Validation.Require(
                Validation.Identifier("batch_id", upload.BatchId, 40),
                upload.BatchId != batchId ? Validation.Fail("batch_id", $"must name batch {batchId} in every message, not {upload.BatchId}") : null,
                rows.Count + upload.Rows.Count > MaxSubsidyRows ? Validation.Fail("rows", $"of a batch are at most {MaxSubsidyRows}") : null);
            foreach (var row in upload.Rows) rows.Add(new SubsidyRow(row.PersonNo, row.AmountFen, row.Memo));
        }
        var summary = await subsidies.IssueAsync(batchId ?? "", deadline, memo, rows, context.Caller(), context.CancellationToken);
        var reply = new IssueSubsidiesReply
        {
            BatchId = summary.Batch.BatchId,
            Rows = summary.Rows,
            Issued = summary.Issued,
            IssuedFen = summary.IssuedFen,
            AlreadyIssued = summary.AlreadyIssued,
            ClaimDeadline = Timestamp.FromDateTimeOffset(summary.Batch.Deadline),
        };
        reply.UnknownPersonNos.AddRange(summary.UnknownPersons);
        reply.ClosedPersonNos.AddRange(summary.ClosedAccounts);
        reply.ConflictingPersonNos.AddRange(summary.Conflicting);
        return reply;
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<RecallSubsidiesReply> RecallSubsidies(RecallSubsidiesRequest request, ServerCallContext context)
    {
        var summary = await subsidies.RecallAsync(request.BatchId, context.Caller(), context.CancellationToken);
        return new RecallSubsidiesReply { BatchId = summary.BatchId, Recalled = summary.Recalled, RecalledFen = summary.RecalledFen, Claimed = summary.Claimed };
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<Account> OpenAccount(OpenAccountRequest request, ServerCallContext context)
    {
        var (holder, _) = await office.OpenAccountAsync(request.PersonNo, request.Name, (Domain.CardType)request.CardType, request.IdNumber, request.CardNo,
            context.Caller(), context.CancellationToken);
        return await ToAccountAsync(holder, context.CancellationToken);
    }

    [Authorize(Roles = $"{Roles.Office},{Roles.Kiosk},{Roles.Payments},{Roles.Finance}")]
    public override async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        Holder? holder;
        switch (request.KeyCase)
        {
            case GetAccountRequest.KeyOneofCase.PersonNo:
                Validation.Require(Validation.Identifier("person_no", request.PersonNo, 32));
                holder = await registry.FindHolderAsync(context.Caller().Campus, request.PersonNo, context.CancellationToken);
                break;
            case GetAccountRequest.KeyOneofCase.CardNo:
                Validation.Require(Validation.Identifier("card_no", request.CardNo, 32));
                var state = await engine.ReadCardAsync(context.Caller().Campus, request.CardNo);
                holder = state is not null && state.Card == CardNumbers.Fingerprint(request.CardNo)
                    ? await registry.FindHolderAsync(state.Campus, state.PersonNo, context.CancellationToken)
                    : null;
                break;
            default:
                throw RefusedException.Invalid("person_no", "person_no or card_no is required");
        }
        return holder is null
            ? throw new RefusedException(ErrorReason.PersonNotFound, $"no account for {request.PersonNo}{request.CardNo}")
            : await ToAccountAsync(holder, context.CancellationToken);
    }

    [Authorize(Roles = $"{Roles.Office},{Roles.Kiosk},{Roles.Payments}")]
    public override Task<CardReply> ReportLoss(ReportLossRequest request, ServerCallContext context) =>
        ChangeAsync(TransactionKind.ReportLoss, request.RequestId, request.CardNo, request.PersonNo, 0, false, context);

    [Authorize(Roles = Roles.Office)]
    public override Task<CardReply> CancelLoss(CancelLossRequest request, ServerCallContext context) =>
        ChangeAsync(TransactionKind.CancelLoss, request.RequestId, request.CardNo, request.PersonNo, 0, false, context);

    [Authorize(Roles = Roles.Office)]
    public override Task<CardReply> Freeze(FreezeRequest request, ServerCallContext context) =>
        ChangeAsync(TransactionKind.Freeze, request.RequestId, request.CardNo, request.PersonNo, (short)request.Reason, false, context);

    [Authorize(Roles = Roles.Office)]
    public override Task<CardReply> Unfreeze(UnfreezeRequest request, ServerCallContext context) =>
        ChangeAsync(TransactionKind.Unfreeze, request.RequestId, request.CardNo, request.PersonNo, (short)request.Reason, request.AtKiosk, context);

    [Authorize(Roles = Roles.Office)]
    public override Task<CardReply> CloseAccount(CloseAccountRequest request, ServerCallContext context) =>
        ChangeAsync(TransactionKind.CloseAccount, request.RequestId, "", request.PersonNo, 0, false, context);

    [Authorize(Roles = Roles.Office)]
    public override async Task<CardReply> ResetPin(ResetPinRequest request, ServerCallContext context) =>
        (await office.ResetPinAsync(request.RequestId, request.PersonNo, context.Caller(), context.CancellationToken)).ToCardReply("");

    [Authorize(Roles = Roles.Office)]
    public override async Task<CardReply> ResetPaymentPassword(ResetPaymentPasswordRequest request, ServerCallContext context) =>
        (await office.ResetPaymentPasswordAsync(request.RequestId, request.PersonNo, context.Caller(), context.CancellationToken)).ToCardReply("");

    /// <summary>A declined replacement names no card: the number taken for it is not live.</summary>
    [Authorize(Roles = Roles.Office)]
    public override async Task<CardReply> ReplaceCard(ReplaceCardRequest request, ServerCallContext context)
    {
        var (cardNo, decision) = await office.ReplaceCardAsync(request.RequestId, request.PersonNo, (Domain.ReplaceReason)request.Reason, request.VisibleDamage,
            request.CardNo, context.Caller(), context.CancellationToken);
        return decision.ToCardReply(decision.Outcome == Domain.Outcome.Approved ? cardNo : "");
    }

    private async Task<CardReply> ChangeAsync(TransactionKind kind, string requestId, string cardNo, string personNo, short code, bool flag, ServerCallContext context)
    {
        var decision = await office.ChangeStateAsync(new ClearingRequest
        {
            Kind = kind,
            RequestId = requestId,
            Campus = context.Caller().Campus,
            CardNo = cardNo,
            PersonNo = personNo,
            Code = code,
            Flag = flag,
            Caller = context.Caller(),
        }, context.CancellationToken);
        return decision.ToCardReply(cardNo);
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<Contracts.V1.Merchant> OpenMerchant(OpenMerchantRequest request, ServerCallContext context)
    {
        Validation.Require(
            Validation.Identifier("merchant_id", request.MerchantId, 32),
            Validation.Text("name", request.Name, 100, required: true),
            Validation.Defined("category", (Domain.MerchantCategory)request.Category));
        var merchant = await registry.OpenMerchantAsync(context.Caller().Campus, request.MerchantId, request.Name.Trim(), (Domain.MerchantCategory)request.Category, clock.GetUtcNow(), context.CancellationToken)
            ?? throw new RefusedException(ErrorReason.MerchantExists, $"merchant {request.MerchantId} already exists");
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
        Validation.Require(
            Validation.Identifier("terminal_id", request.TerminalId, 32),
            Validation.Identifier("merchant_id", request.MerchantId, 32));
        var campus = context.Caller().Campus;
        var merchantNo = await directory.MerchantNoAsync(campus, request.MerchantId, context.CancellationToken);
        if (merchantNo == 0) throw new RefusedException(ErrorReason.MerchantNotFound, $"no merchant {request.MerchantId}");
        var (registration, changed) = await registry.RegisterTerminalAsync(campus, request.TerminalId, merchantNo, context.Caller().Subject, clock.GetUtcNow(), context.CancellationToken);
        directory.Remember(campus, registration.TerminalId, registration);
        // Other instances read a replaced registration again (a first one they read when they first meet the terminal).
        if (changed && registration.Replaced) await registryChanges.TerminalChangedAsync(campus, registration.TerminalId);
        return ToMessage(registration);
    }

    [Authorize(Roles = Roles.Office)]
    public override async Task<Contracts.V1.TerminalRegistration> RevokeTerminal(RevokeTerminalRequest request, ServerCallContext context)
    {
        Validation.Require(Validation.Identifier("terminal_id", request.TerminalId, 32));
        var campus = context.Caller().Campus;
        var registration = await registry.RevokeTerminalAsync(campus, request.TerminalId, context.Caller().Subject, clock.GetUtcNow(), context.CancellationToken)
            ?? throw new RefusedException(ErrorReason.TerminalNotFound, $"terminal {request.TerminalId} was never registered");
        directory.Remember(campus, registration.TerminalId, registration);
        await registryChanges.TerminalChangedAsync(campus, registration.TerminalId);
        return ToMessage(registration);
    }

    private static Contracts.V1.TerminalRegistration ToMessage(Domain.TerminalRegistration registration) => new()
    {
        TerminalId = registration.TerminalId,
        MerchantId = registration.MerchantId,
        RegisteredAt = Timestamp.FromDateTimeOffset(registration.RegisteredAt),
        RevokedAt = registration.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
    };

    private async Task<Account> ToAccountAsync(Holder holder, CancellationToken ct)
    {
        var state = await engine.ReadPersonAsync(holder.Campus, holder.PersonNo);
        var live = state is null ? null : (await registry.CardsOfAsync(holder.Id, ct)).LastOrDefault(c => CardNumbers.Fingerprint(c.CardNo) == state.Card);
        return new Account
        {
            PersonNo = holder.PersonNo,
            Name = holder.Name,
            CardType = (Contracts.V1.CardType)holder.CardType,
            CardNo = live?.CardNo ?? "",
            CardState = (Contracts.V1.CardState)(state?.CardState ?? 0),
            Balances = (state?.Balances ?? default).ToMessage(),
            OpenedAt = Timestamp.FromDateTimeOffset(holder.OpenedAt),
            Status = state?.ToStatus(engine.RulesOf(holder.Campus), clock.GetUtcNow()),
        };
    }
}
