using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine.Placement;
using CampusCard.Clearing.Host.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.HotStore;
using Directory = CampusCard.Clearing.Engine.Directory;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Admin: the vendor's campuses (docs/campuses.md). The vendor role calls nothing else.</summary>
[Authorize(Roles = Roles.Vendor)]
internal sealed class AdminService(
    IRegistry registry, Directory directory, JournalDatabases databases, CampusRulesBook rules, RegistryChanges changes, TimeProvider clock) : Admin.AdminBase
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

    public override async Task<Contracts.V1.CampusConfiguration> ConfigureCampus(ConfigureCampusRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        Validation.Require(Campuses.Code("code", request.Code), ClearingCalls.Time("effective_from", request.EffectiveFrom));
        Validation.Require(request.EffectiveFrom is { } from && from.ToDateTimeOffset() < now - AllowedSkew
            ? Validation.Fail("effective_from", "is in the past: a change applies from now on")
            : null);
        var settings = request.Settings.ToDomain();
        Validation.Require(settings.Validate());
        var campus = await CampusAsync(request.Code, context.CancellationToken);
        if (settings.CardGroup is { } group) await RequireOneDatabaseAsync(campus, group, context.CancellationToken);
        var effectiveFrom = request.EffectiveFrom?.ToDateTimeOffset() ?? now;
        var configured = await registry.ConfigureCampusAsync(campus.No, effectiveFrom, settings, context.Caller().Subject, now, context.CancellationToken);
        // This instance applies it before it answers; every other is told, and reads it within RefreshInterval at the latest.
        await rules.RefreshAsync(context.CancellationToken);
        await changes.CampusChangedAsync(campus.No);
        return configured.ToMessage(campus.Code);
    }

    /// <summary>A campus joins a card group only where the group's campuses keep their journal (<see cref="CardGroups.Apart"/>).</summary>
    private async Task RequireOneDatabaseAsync(Domain.Campus campus, string group, CancellationToken ct)
    {
        var campuses = await registry.CampusesAsync(ct);
        if (CardGroups.Apart(campus, group, campuses, await registry.CampusConfigurationsAsync(ct)) is { } apart)
            throw new RefusedException(ErrorReason.GroupAcrossDatabases,
                $"campus '{apart.Code}' of card group '{group}' keeps its journal in database '{NameOf(apart)}', campus '{campus.Code}' in '{NameOf(campus)}': " +
                "a sale across a group is one transaction, so a group's campuses share their journal database",
                new Dictionary<string, string> { ["card_group"] = group, ["campus"] = apart.Code });
    }

    /// <summary>How far in the past a change's effective time may be, for clocks that differ (the vendor's and ours).</summary>
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(1);

    public override async Task<CampusDetail> GetCampus(GetCampusRequest request, ServerCallContext context)
    {
        Validation.Require(Campuses.Code("code", request.Code));
        var campus = await CampusAsync(request.Code, context.CancellationToken);
        var versions = (await registry.CampusConfigurationsAsync(context.CancellationToken)).Where(c => c.Campus == campus.No).ToList();
        var reply = new CampusDetail
        {
            Campus = ToMessage(campus),
            VersionInForce = versions.InForceAt(clock.GetUtcNow())?.Version ?? 0,
        };
        reply.Configurations.AddRange(versions.Select(v => v.ToMessage(campus.Code)));
        return reply;
    }

    private async Task<Domain.Campus> CampusAsync(string code, CancellationToken ct) =>
        (await registry.CampusesAsync(ct)).FirstOrDefault(c => c.Code == code)
        ?? throw new RefusedException(ErrorReason.CampusNotFound, $"this deployment has no campus '{code}'", new Dictionary<string, string> { ["code"] = code });

    private Contracts.V1.Campus ToMessage(Domain.Campus campus) => new()
    {
        Code = campus.Code, Name = campus.Name, CampusNo = campus.No, CreatedAt = Timestamp.FromDateTimeOffset(campus.CreatedAt), JournalDatabase = NameOf(campus),
    };

    private string NameOf(Domain.Campus campus) => databases.All[campus.JournalDatabase].Name;
}
