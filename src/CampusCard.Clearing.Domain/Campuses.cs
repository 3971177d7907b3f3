namespace CampusCard.Clearing.Domain;

/// <summary>
/// A campus (校区): a tenant of the deployment. Person numbers, card numbers, merchants, terminals and subsidy batches
/// are unique within a campus (the same student number at two campuses is two people), every caller but the vendor
/// belongs to one, and every request is decided within its campus. <see cref="No"/> is in every row and key; <see
/// cref="Code"/> is what tokens and people name it by. <see cref="JournalDatabase"/>: the number of the journal database its
/// journal and registry live in (<see cref="JournalPlacement"/>; 0, the main one, unless the vendor placed it elsewhere).
/// </summary>
public sealed record Campus(short No, string Code, string Name, DateTimeOffset CreatedAt, short JournalDatabase = 0);

/// <summary>The code of campus 1 (configuration: Campuses:Default), which the migrators write at every start.</summary>
public sealed record DefaultCampus(string Value)
{
    public const string Code = "default";
}

public static class Campuses
{
    /// <summary>The campus of what was there before campuses, and of a deployment that names none (Campuses:Default).</summary>
    public const short Default = 1;

    /// <summary>No campus: the vendor's callers, and the system accounts every campus shares.</summary>
    public const short None = 0;

    public const int MaxCodeLength = 32;

    /// <summary>
    /// An identifier as a key across campuses: the default campus's as it was before campuses ("p:2021001"), another's
    /// after its number and a slash ("2/p:2021001"). Identifiers hold no slash (<see cref="Validation.Identifier"/>), so
    /// the two never meet. Request scopes, hot-state tags and the card index use it; the journal keeps the number
    /// and the identifier apart.
    /// </summary>
    public static string Qualify(short campus, string id) => campus == Default ? id : $"{campus}/{id}";

    /// <summary>The identifier and campus of a qualified key (<see cref="Qualify"/>).</summary>
    public static (short Campus, string Id) Unqualify(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (Default, key) : (short.Parse(key.AsSpan(0, slash)), key[(slash + 1)..]);
    }

    /// <summary>Why a campus code is not one, or null: lower-case letters, digits and hyphens, a letter or digit first, at most <see cref="MaxCodeLength"/>.</summary>
    public static Violation? Code(string field, string code) =>
        code.Length is 0 or > MaxCodeLength || !char.IsAsciiLetterOrDigit(code[0]) || code.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            ? Validation.Fail(field, $"is not a campus code: lower-case letters, digits and '-', starting with a letter or digit, at most {MaxCodeLength}")
            : null;
}
