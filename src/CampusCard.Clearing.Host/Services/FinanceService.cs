using System.Globalization;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Files;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Finance: settlement runs for finance and the card office.</summary>
[Authorize(Roles = $"{Roles.Office},{Roles.Finance}")]
internal sealed class FinanceService(Settlements settlements, Reconciliation reconciliation) : Finance.FinanceBase
{
    public override async Task<Contracts.V1.HotStateReport> CheckHotState(CheckHotStateRequest request, ServerCallContext context)
    {
        var report = await reconciliation.CheckHotStateAsync(context.Caller().Campus, context.CancellationToken);
        var reply = new Contracts.V1.HotStateReport { Holders = report.Holders, JournaledThrough = report.JournaledThrough };
        foreach (var d in report.Differences) reply.Differences.Add(new Contracts.V1.HotStateDifference { PersonNo = d.PersonNo, Field = d.Field, Hot = d.Hot, Journal = d.Journal });
        return reply;
    }

    public override async Task<Contracts.V1.BankReconciliation> ReconcileBankFile(ReconcileBankFileRequest request, ServerCallContext context)
    {
        var day = Day(request.BusinessDate);
        var encoding = TextEncodings.Parse(request.Encoding);
        Validation.Require(encoding is null ? Validation.Fail("encoding", $"must be one of {string.Join(", ", TextEncodings.Names)}") : null);
        var r = request.ContentCase switch
        {
            ReconcileBankFileRequest.ContentOneofCase.Csv when request.Csv.Length > 0 =>
                await reconciliation.ReconcileBankFileAsync(context.Caller().Campus, day, request.Csv, context.CancellationToken),
            ReconcileBankFileRequest.ContentOneofCase.File when request.File.Length > 0 =>
                await reconciliation.ReconcileBankFileAsync(context.Caller().Campus, day, request.File.Memory, string.IsNullOrWhiteSpace(request.Encoding) ? null : encoding, context.CancellationToken),
            _ => throw RefusedException.Invalid("csv", "csv or file is required"),
        };
        var reply = new Contracts.V1.BankReconciliation { BusinessDate = request.BusinessDate, Matched = r.Matched, MatchedFen = r.MatchedFen };
        reply.MissingOnOurSide.AddRange(r.MissingOnOurSide.Select(ToMessage));
        reply.MissingOnBankSide.AddRange(r.MissingOnBankSide.Select(ToMessage));
        reply.AmountDiffers.AddRange(r.AmountDiffers.Select(ToMessage));
        return reply;
    }

    private static Contracts.V1.BankLine ToMessage(Engine.BankLine l) =>
        new() { Reference = l.Reference, PersonNo = l.PersonNo, AmountFen = l.AmountFen, JournalFen = l.JournalFen, TransactionId = l.TransactionId };

    private static DateOnly Day(string businessDate)
    {
        Validation.Require(DateOnly.TryParseExact(businessDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? null : Validation.Fail("business_date", "must be a date such as 2026-09-01"));
        return day;
    }

    public override async Task<SettlementReport> RunSettlement(RunSettlementRequest request, ServerCallContext context)
    {
        var report = new SettlementReport { BusinessDate = request.BusinessDate };
        foreach (var s in await settlements.RunAsync(Day(request.BusinessDate), context.Caller(), context.CancellationToken))
        {
            var d = s.Day;
            report.Merchants.Add(new Contracts.V1.MerchantSettlement
            {
                MerchantId = d.MerchantId,
                Name = d.Name,
                Category = (Contracts.V1.MerchantCategory)d.Category,
                Sales = d.Sales,
                GrossFen = d.GrossFen,
                Reversals = d.Reversals,
                ReversalsFen = d.ReversalsFen,
                Refunds = d.Refunds,
                RefundsFen = d.RefundsFen,
                NetFen = d.NetFen,
                SettledFen = s.Decision?.MovedFen ?? d.SettledFen,
                TransactionId = s.Decision?.TransactionId ?? 0,
                SettledBefore = s.SettledBefore,
                SettledAt = s.Decision?.DecidedAt(),
            });
        }
        report.NetFen = report.Merchants.Sum(m => m.NetFen);
        report.SettledFen = report.Merchants.Sum(m => m.SettledFen);
        return report;
    }
}
