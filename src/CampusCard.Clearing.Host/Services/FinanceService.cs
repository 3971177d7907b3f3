using System.Globalization;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Finance: settlement runs for finance and the card office.</summary>
[Authorize(Roles = $"{Roles.Office},{Roles.Finance}")]
internal sealed class FinanceService(Settlements settlements) : Finance.FinanceBase
{
    public override async Task<SettlementReport> RunSettlement(RunSettlementRequest request, ServerCallContext context)
    {
        Require(DateOnly.TryParseExact(request.BusinessDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? null : "business_date must be a date such as 2026-09-01");
        var report = new SettlementReport { BusinessDate = request.BusinessDate };
        foreach (var s in await settlements.RunAsync(day, context.Caller(), context.CancellationToken))
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
