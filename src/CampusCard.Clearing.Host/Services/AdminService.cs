using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine.Placement;
using CampusCard.Clearing.Host.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Directory = CampusCard.Clearing.Engine.Directory;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Admin: the vendor's campuses (docs/campuses.md). The vendor role calls nothing else.</summary>
[Authorize(Roles = Roles.Vendor)]
internal sealed class AdminService(IRegistry registry, Directory directory, JournalDatabases databases, TimeProvider clock) : Admin.AdminBase
{
    public const int MaxNameLength = 100;

    public override async Task<Contracts.V1.Campus> CreateCampus(CreateCampusRequest request, ServerCallContext context)
    {
        var database = request.JournalDatabase.Length == 0 ? databases.Main : databases.Named(request.JournalDatabase);
        Validation.Require(Campuses.Code("code", request.Code), Validation.Text("name", request.Name, MaxNameLength, required: true),
            database is null ? Validation.Fail("journal_database", $"is '{request.JournalDatabase}': the deployment's journal databases are {string.Join(", ", databases.All.Select(d => d.Name))}") : null);
        var name = request.Name.Trim();
        var campus = await registry.CreateCampusAsync(request.Code, name, database!.Number, context.Caller().Subject, clock.GetUtcNow(), context.CancellationToken)
            ?? (await registry.CampusesAsync(context.CancellationToken)).First(c => c.Code == request.Code);
        if (campus.Name != name || campus.JournalDatabase != database.Number)
            throw new RefusedException(ErrorReason.CampusExists,
                $"campus code '{request.Code}' is campus {campus.No}'s, named '{campus.Name}', in journal database '{NameOf(campus)}'",
                new Dictionary<string, string> { ["code"] = request.Code });
        directory.Remember(campus);
        return ToMessage(campus);
    }

    public override async Task<ListCampusesReply> ListCampuses(ListCampusesRequest request, ServerCallContext context)
    {
        var reply = new ListCampusesReply();
        reply.Campuses.AddRange((await registry.CampusesAsync(context.CancellationToken)).Select(ToMessage));
        return reply;
    }

    private Contracts.V1.Campus ToMessage(Domain.Campus campus) => new()
    {
        Code = campus.Code, Name = campus.Name, CampusNo = campus.No, CreatedAt = Timestamp.FromDateTimeOffset(campus.CreatedAt), JournalDatabase = NameOf(campus),
    };

    private string NameOf(Domain.Campus campus) => databases.All[campus.JournalDatabase].Name;
}
