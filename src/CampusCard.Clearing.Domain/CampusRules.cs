namespace CampusCard.Clearing.Domain;

/// <summary>
/// What a campus decides by (issue 26): its calendar (time zone and business day), its top-up channels, its card rules
/// (limits, fees, the default PIN, auto-claim, subsidy deadlines, offline age), its settlement cut-off and its card group.
/// The deployment's configuration gives every campus's defaults; a campus's <see cref="CampusSettings"/> override them
/// from a time on. <see cref="CardGroup"/>: the campuses whose cards its terminals take (校区通用; null: its own only).
/// </summary>
public sealed record CampusRules(
    BusinessCalendar Calendar, IReadOnlyDictionary<string, ChannelRules> Channels, CardRules Cards, TimeOnly SettlementCutOff, string? CardGroup = null)
{
    /// <summary>The deployment's rules with what <paramref name="settings"/> sets put over them; what it leaves unset stays the deployment's.</summary>
    public CampusRules With(CampusSettings settings)
    {
        var channels = new Dictionary<string, ChannelRules>(Channels, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, rules) in settings.Channels) channels[name] = rules;
        return new CampusRules(
            new BusinessCalendar(settings.UtcOffset ?? Calendar.UtcOffset, settings.DayStartsAt ?? Calendar.DayStartsAt),
            channels,
            Cards with
            {
                DefaultPin = settings.DefaultPin ?? Cards.DefaultPin,
                AutoClaim = settings.AutoClaim ?? Cards.AutoClaim,
                SubsidyClaimDays = settings.SubsidyClaimDays ?? Cards.SubsidyClaimDays,
                OfflineMaxAge = settings.OfflineMaxAge ?? Cards.OfflineMaxAge,
                Staff = settings.CardTypes.GetValueOrDefault(CardType.Staff) ?? Cards.Staff,
                Student = settings.CardTypes.GetValueOrDefault(CardType.Student) ?? Cards.Student,
                Identity = settings.CardTypes.GetValueOrDefault(CardType.Identity) ?? Cards.Identity,
                Temporary = settings.CardTypes.GetValueOrDefault(CardType.Temporary) ?? Cards.Temporary,
            },
            settings.SettlementCutOff ?? SettlementCutOff,
            settings.CardGroup);
    }
}

/// <summary>
/// A campus's own settings, each null (or absent) where the deployment's applies. A version states the campus's settings
/// in full: what it leaves unset is the deployment's, not an earlier version's. A channel named here replaces the
/// deployment's of that name; a card type named here has its limits and fee from here.
/// </summary>
public sealed record CampusSettings
{
    public TimeSpan? UtcOffset { get; init; }
    public TimeOnly? DayStartsAt { get; init; }
    public TimeOnly? SettlementCutOff { get; init; }
    public IReadOnlyDictionary<string, ChannelRules> Channels { get; init; } = new Dictionary<string, ChannelRules>();
    public IReadOnlyDictionary<CardType, CardTypeRules> CardTypes { get; init; } = new Dictionary<CardType, CardTypeRules>();
    /// <summary>DLUT's last six with X as 1, or CUMT's 后七-后二 (<see cref="DefaultPinRule"/>).</summary>
    public DefaultPinRule? DefaultPin { get; init; }
    public bool? AutoClaim { get; init; }
    public int? SubsidyClaimDays { get; init; }
    public TimeSpan? OfflineMaxAge { get; init; }

    /// <summary>
    /// The campus group (校区通用; handbook Q&amp;A 5: a 凌水 card works at 开发区, not at 盘锦): the terminals of the
    /// campuses naming one group take each other's cards, and a campus naming none takes its own only. A group's campuses
    /// keep their journal in one database (<see cref="Campus.JournalDatabase"/>): a debit across them is one transaction.
    /// </summary>
    public string? CardGroup { get; init; }

    /// <summary>The furthest a campus's wall clock is from UTC, as time zones are.</summary>
    public static readonly TimeSpan MaxUtcOffset = TimeSpan.FromHours(14);

    /// <summary>The latest a business day may start: its first hours belong to the day before.</summary>
    public static readonly TimeOnly LatestDayStart = new(6, 0);

    /// <summary>The first setting that is not one a campus can run on, or null.</summary>
    public Violation? Validate()
    {
        if (UtcOffset is { } offset && (offset.Duration() > MaxUtcOffset || offset.Ticks % TimeSpan.TicksPerMinute != 0))
            return Validation.Fail("settings.utc_offset", "must be whole minutes from -14:00 to +14:00");
        if (DayStartsAt is { } start && start > LatestDayStart)
            return Validation.Fail("settings.business_day_starts_at", $"must be at most {LatestDayStart:HH\\:mm}");
        if (SubsidyClaimDays is < 1) return Validation.Fail("settings.subsidy_claim_days", "must be at least 1");
        if (OfflineMaxAge is { } age && age <= TimeSpan.Zero) return Validation.Fail("settings.offline_max_age", "must be more than 0");
        if (CardGroup is { } group && Campuses.Code("settings.card_group", group) is { } badGroup) return badGroup;
        foreach (var (name, c) in Channels)
        {
            var field = $"settings.channels[{name}]";
            if (Validation.Identifier(field, name, 32) is { } badName) return badName;
            if (c.MinFen < 1 || c.MaxFen > Validation.MaxAmountFen || c.MinFen > c.MaxFen)
                return Validation.Fail(field, $"needs 1 <= min_fen <= max_fen <= {Validation.MaxAmountFen}");
            if (c.OpensAt > c.ClosesAt) return Validation.Fail(field, "opens_at must not be after closes_at");
        }
        foreach (var (type, t) in CardTypes)
        {
            var field = $"settings.card_types[{type.ToString().ToLowerInvariant()}]";
            if (t.SingleLimitFen < 0 || t.DailyLimitFen < 0 || t.ReplacementFeeFen < 0) return Validation.Fail(field, "limits and fee may not be negative");
            if (t.SingleLimitFen > Validation.MaxAmountFen || t.DailyLimitFen > Validation.MaxAmountFen || t.ReplacementFeeFen > Validation.MaxAmountFen)
                return Validation.Fail(field, $"limits and fee must be at most {Validation.MaxAmountFen}");
        }
        return null;
    }
}

/// <summary>A version of a campus's settings and the time it applies from (journaled before the vendor is answered).</summary>
public sealed record CampusConfiguration(short Campus, int Version, DateTimeOffset EffectiveFrom, CampusSettings Settings, string SetBy, DateTimeOffset SetAt);

/// <summary>Which of a campus's settings versions applies when.</summary>
public static class CampusConfigurations
{
    /// <summary>The versions in the order they take effect: by effective time, and of one time the later version last.</summary>
    public static IEnumerable<CampusConfiguration> InEffectOrder(this IEnumerable<CampusConfiguration> versions) =>
        versions.OrderBy(c => c.EffectiveFrom).ThenBy(c => c.Version);

    /// <summary>The version in force at <paramref name="now"/>: the last in effect order taking effect by then; null when none does.</summary>
    public static CampusConfiguration? InForceAt(this IEnumerable<CampusConfiguration> versions, DateTimeOffset now) =>
        versions.InEffectOrder().LastOrDefault(v => v.EffectiveFrom <= now);
}
