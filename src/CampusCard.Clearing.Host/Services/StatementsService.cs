using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Statements: statements 流水 and monthly bills 我的账单.</summary>
[Authorize(Roles = $"{Roles.Payments},{Roles.Kiosk},{Roles.Office},{Roles.Finance}")]
internal sealed class StatementsService(CardholderStatements statements) : Statements.StatementsBase
{
    public override async Task<Statement> GetStatement(GetStatementRequest request, ServerCallContext context)
    {
        var page = await statements.StatementAsync(context.Caller().Campus, request.PersonNo, request.CardNo, request.FromDate, request.ToDate, request.PageSize, request.PageToken,
            context.CancellationToken);
        var reply = new Statement { PersonNo = page.Holder.PersonNo, NextPageToken = page.NextPageToken ?? "" };
        foreach (var l in page.Lines)
        {
            reply.Lines.Add(new Contracts.V1.StatementLine
            {
                TransactionId = l.TransactionId,
                DecidedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(l.DecidedAt),
                Kind = Domain.CodeTable.SnakeCase(l.Kind.ToString()),
                AmountFen = l.AmountFen,
                PurseChangeFen = l.PurseChangeFen,
                WalletChangeFen = l.WalletChangeFen,
                PendingChangeFen = l.PendingChangeFen,
                HeldChangeFen = l.HeldChangeFen,
                MerchantId = l.MerchantId,
                MerchantName = l.MerchantName,
                Category = (Contracts.V1.MerchantCategory)l.Category,
                Balances = l.After.ToMessage(),
                Effect = (Contracts.V1.Effect)l.Effect,
                Memo = l.Memo,
                RefundChangeFen = l.RefundChangeFen,
                OccurredAt = l.OccurredAt is { } occurred ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(occurred) : null,
            });
        }
        return reply;
    }

    public override async Task<Contracts.V1.MonthlyBill> GetMonthlyBill(GetMonthlyBillRequest request, ServerCallContext context)
    {
        var bill = await statements.MonthlyBillAsync(context.Caller().Campus, request.PersonNo, request.Month, context.CancellationToken);
        var reply = new Contracts.V1.MonthlyBill { PersonNo = bill.Holder.PersonNo, Month = $"{bill.Month:yyyy-MM}", TotalFen = bill.TotalFen };
        foreach (var (category, fen) in bill.Categories) reply.Categories.Add(new CategorySpend { Category = (Contracts.V1.MerchantCategory)category, AmountFen = fen });
        foreach (var (month, fen) in bill.LastSixMonths) reply.LastSixMonths.Add(new MonthTotal { Month = $"{month:yyyy-MM}", AmountFen = fen });
        return reply;
    }
}
