using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Files;
using Grpc.Core;
using CardsClient = CampusCard.Clearing.Contracts.V1.Cards.CardsClient;

namespace CampusCard.Clearing.Cli.Internal.Accounts;

/// <summary>
/// Opens the account of each student of an import. OpenAccount answers an account opened before under the same
/// request, so a re-run opens only what is missing; asking GetAccount first tells the two apart for the summary.
/// </summary>
internal sealed class AccountImport(CardsClient cards, Invocation invocation)
{
    public async Task<ImportedRow> OpenAsync(CsvRecord line)
    {
        var (student, problem) = Student.Parse(line);
        if (student is null) return new ImportedRow(line.Line, line.Fields[0], ImportStatus.Failed, "", problem);
        try
        {
            var existed = await ExistsAsync(student.PersonNo);
            var account = await cards.OpenAccountAsync(student.Request, invocation.Options);
            return new ImportedRow(line.Line, student.PersonNo, existed ? ImportStatus.AlreadyExisting : ImportStatus.Opened, account.CardNo, null);
        }
        catch (RpcException e) when (e.StatusCode is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.Cancelled))
        {
            var retryable = e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded;
            return new ImportedRow(line.Line, student.PersonNo, ImportStatus.Failed, "", Reason(e), retryable);
        }
    }

    private async Task<bool> ExistsAsync(string personNo)
    {
        try
        {
            await cards.GetAccountAsync(new GetAccountRequest { PersonNo = personNo }, invocation.Options);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    private string Reason(RpcException e) => e.StatusCode switch
    {
        StatusCode.AlreadyExists => "the person has another account (other details than this line's)",
        StatusCode.FailedPrecondition => "the person's account is closed: it is never reopened",
        _ => $"{RpcErrors.Name(e.StatusCode)}: {RpcErrors.Message(e, invocation.Address)}",
    };
}
