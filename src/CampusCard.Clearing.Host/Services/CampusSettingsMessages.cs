using System.Globalization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using Google.Protobuf.WellKnownTypes;
using V1 = CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Host.Services;

/// <summary>A campus's settings between Admin's messages and the domain: every malformed value refused naming its field.</summary>
internal static class CampusSettingsMessages
{
    public static CampusSettings ToDomain(this V1.CampusSettings? m)
    {
        if (m is null) return new CampusSettings();
        return new CampusSettings
        {
            UtcOffset = m.UtcOffset.Length > 0 ? Offset("settings.utc_offset", m.UtcOffset) : null,
            DayStartsAt = m.BusinessDayStartsAt.Length > 0 ? Time("settings.business_day_starts_at", m.BusinessDayStartsAt, TimeOnly.MinValue) : null,
            SettlementCutOff = m.SettlementCutOff.Length > 0 ? Time("settings.settlement_cut_off", m.SettlementCutOff, TimeOnly.MinValue) : null,
            Channels = Unique("settings.channels", m.Channels, c => c, StringComparer.OrdinalIgnoreCase, (name, c) => new ChannelRules
            {
                MinFen = c.MinFen,
                MaxFen = c.MaxFen,
                OpensAt = Time($"settings.channels[{name}].opens_at", c.OpensAt, TimeOnly.MinValue),
                ClosesAt = Time($"settings.channels[{name}].closes_at", c.ClosesAt, TimeOnly.MaxValue),
                ToPending = c.ToPending,
            }),
            CardTypes = Unique("settings.card_types", m.CardTypes, CardTypeOf, EqualityComparer<CardType>.Default, (_, t) => new CardTypeRules
            {
                SingleLimitFen = t.SingleLimitFen,
                DailyLimitFen = t.DailyLimitFen,
                ReplacementFeeFen = t.ReplacementFeeFen,
            }),
            DefaultPin = m.DefaultPin == V1.DefaultPinRule.Unspecified ? null : PinRule(m.DefaultPin),
            AutoClaim = m.AutoClaim,
            SubsidyClaimDays = m.SubsidyClaimDays == 0 ? null : m.SubsidyClaimDays,
            OfflineMaxAge = m.OfflineMaxAge is null ? null : Age("settings.offline_max_age", m.OfflineMaxAge),
            CardGroup = m.CardGroup.Length > 0 ? m.CardGroup : null,
        };
    }

    public static V1.CampusSettings ToMessage(this CampusSettings s)
    {
        var m = new V1.CampusSettings();
        if (s.UtcOffset is { } offset) m.UtcOffset = CampusSettingsFormat.Offset(offset);
        if (s.DayStartsAt is { } start) m.BusinessDayStartsAt = CampusSettingsFormat.Time(start);
        if (s.SettlementCutOff is { } cutOff) m.SettlementCutOff = CampusSettingsFormat.Time(cutOff);
        foreach (var (name, c) in s.Channels)
            m.Channels[name] = new V1.ChannelSettings
            {
                MinFen = c.MinFen, MaxFen = c.MaxFen, OpensAt = CampusSettingsFormat.Time(c.OpensAt), ClosesAt = CampusSettingsFormat.Time(c.ClosesAt), ToPending = c.ToPending,
            };
        foreach (var (type, t) in s.CardTypes)
            m.CardTypes[type.ToString().ToLowerInvariant()] = new V1.CardTypeSettings
            {
                SingleLimitFen = t.SingleLimitFen, DailyLimitFen = t.DailyLimitFen, ReplacementFeeFen = t.ReplacementFeeFen,
            };
        if (s.DefaultPin is { } pin) m.DefaultPin = pin == DefaultPinRule.LastSixBeforeX ? V1.DefaultPinRule.LastSixBeforeX : V1.DefaultPinRule.LastSixXAsOne;
        if (s.AutoClaim is { } autoClaim) m.AutoClaim = autoClaim;
        if (s.SubsidyClaimDays is { } days) m.SubsidyClaimDays = days;
        if (s.OfflineMaxAge is { } age) m.OfflineMaxAge = Duration.FromTimeSpan(age);
        if (s.CardGroup is { } group) m.CardGroup = group;
        return m;
    }

    /// <summary>A map's entries by key; two names of one key (BANK and bank, Student and student) refused naming the field.</summary>
    private static Dictionary<TKey, TValue> Unique<TKey, TMessage, TValue>(string field, IDictionary<string, TMessage> map, Func<string, TKey> key,
        IEqualityComparer<TKey> comparer, Func<string, TMessage, TValue> value) where TKey : notnull
    {
        var entries = new Dictionary<TKey, TValue>(comparer);
        foreach (var (name, message) in map)
            if (!entries.TryAdd(key(name), value(name, message)))
                throw RefusedException.Invalid(Validation.Fail($"{field}[{name}]", "names an entry named already in another case"));
        return entries;
    }

    /// <summary>A duration of up to ten years, whole or not.</summary>
    private static TimeSpan Age(string field, Duration age) =>
        age.Seconds is >= -MaxAgeSeconds and <= MaxAgeSeconds && age.Nanos is > -1_000_000_000 and < 1_000_000_000
        && (age.Seconds == 0 || age.Nanos == 0 || age.Seconds > 0 == age.Nanos > 0)
            ? age.ToTimeSpan()
            : throw RefusedException.Invalid(Validation.Fail(field, "must be at most ten years"));

    private const long MaxAgeSeconds = 10L * 366 * 86_400;

    private static TimeSpan Offset(string field, string text)
    {
        var sign = text.StartsWith('-') ? -1 : 1;
        return text.Length > 1 && text[0] is '+' or '-' && TimeSpan.TryParseExact(text[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var offset)
            ? sign * offset
            : throw RefusedException.Invalid(Validation.Fail(field, "is not a UTC offset such as +08:00 or -05:30"));
    }

    /// <summary>A local time "HH:mm" (or with seconds); empty is <paramref name="empty"/>.</summary>
    private static TimeOnly Time(string field, string text, TimeOnly empty) =>
        text.Length == 0 ? empty
        : TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var time) ? time
        : throw RefusedException.Invalid(Validation.Fail(field, "is not a time of day such as 05:00"));

    private static CardType CardTypeOf(string name) =>
        System.Enum.TryParse<CardType>(name, ignoreCase: true, out var type) && System.Enum.IsDefined(type) && !int.TryParse(name, out _)
            ? type
            : throw RefusedException.Invalid(Validation.Fail($"settings.card_types[{name}]", "is not a card type: staff, student, identity or temporary"));

    private static DefaultPinRule PinRule(V1.DefaultPinRule rule) => rule switch
    {
        V1.DefaultPinRule.LastSixXAsOne => DefaultPinRule.LastSixXAsOne,
        V1.DefaultPinRule.LastSixBeforeX => DefaultPinRule.LastSixBeforeX,
        _ => throw RefusedException.Invalid(Validation.Fail("settings.default_pin", "must be DEFAULT_PIN_RULE_LAST_SIX_X_AS_ONE or DEFAULT_PIN_RULE_LAST_SIX_BEFORE_X")),
    };

    public static V1.CampusConfiguration ToMessage(this CampusConfiguration c, string code) => new()
    {
        Code = code,
        Version = c.Version,
        EffectiveFrom = Timestamp.FromDateTimeOffset(c.EffectiveFrom),
        Settings = c.Settings.ToMessage(),
        SetBy = c.SetBy,
        SetAt = Timestamp.FromDateTimeOffset(c.SetAt),
    };
}
