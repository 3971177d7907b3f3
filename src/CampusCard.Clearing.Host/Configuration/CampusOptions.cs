using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>The campuses' settings (configuration section "Campuses").</summary>
public sealed class CampusOptions
{
    /// <summary>
    /// The code of campus 1: the campus of what was there before campuses and of every token that names none. The migrator
    /// writes it at every start, so a single-campus deployment needs no setting and a vendor can give its first campus a name.
    /// </summary>
    public string Default { get; set; } = DefaultCampus.Code;
}

internal sealed class CampusOptionsValidator() : SettingsValidator<CampusOptions>("Campuses")
{
    protected override void Check(CampusOptions o, SettingChecks checks)
    {
        if (Campuses.Code(nameof(o.Default), o.Default) is { } bad) checks.Fail(nameof(o.Default), bad.Message[(nameof(o.Default).Length + 1)..]);
    }
}
