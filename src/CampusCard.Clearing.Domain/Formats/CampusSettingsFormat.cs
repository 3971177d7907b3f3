using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// A campus's settings as the journal stores them (campus_configurations.settings): a JSON object with its format version
/// first, the settings a version sets and nothing else. Times of day as "HH:mm" (<see cref="Time"/>), the UTC offset as "+08:00", the offline
/// age in seconds; names in snake case as the API has them. A setting added later (card_group) is absent from the rows
/// written before it, which read as not set: the format stays 1.
/// </summary>
public static class CampusSettingsFormat
{
    public const int Version = 1;

    public static string Write(CampusSettings s)
    {
        var json = new JsonObject { ["format"] = Version };
        if (s.UtcOffset is { } offset) json["utc_offset"] = Offset(offset);
        if (s.DayStartsAt is { } start) json["business_day_starts_at"] = Time(start);
        if (s.SettlementCutOff is { } cutOff) json["settlement_cut_off"] = Time(cutOff);
        if (s.Channels.Count > 0)
            json["channels"] = new JsonObject(s.Channels.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonObject
            {
                ["min_fen"] = c.Value.MinFen, ["max_fen"] = c.Value.MaxFen, ["opens_at"] = Time(c.Value.OpensAt), ["closes_at"] = Time(c.Value.ClosesAt),
                ["to_pending"] = c.Value.ToPending,
            })));
        if (s.CardTypes.Count > 0)
            json["card_types"] = new JsonObject(s.CardTypes.Select(t => KeyValuePair.Create(CodeTable.SnakeCase(t.Key.ToString()), (JsonNode?)new JsonObject
            {
                ["single_limit_fen"] = t.Value.SingleLimitFen, ["daily_limit_fen"] = t.Value.DailyLimitFen, ["replacement_fee_fen"] = t.Value.ReplacementFeeFen,
            })));
        if (s.DefaultPin is { } pin) json["default_pin"] = CodeTable.SnakeCase(pin.ToString());
        if (s.AutoClaim is { } autoClaim) json["auto_claim"] = autoClaim;
        if (s.SubsidyClaimDays is { } days) json["subsidy_claim_days"] = days;
        if (s.OfflineMaxAge is { } age) json["offline_max_age_seconds"] = (long)age.TotalSeconds;
        if (s.CardGroup is { } group) json["card_group"] = group;
        return json.ToJsonString();
    }

    public static CampusSettings Read(string text)
    {
        var json = JsonNode.Parse(text)?.AsObject() ?? throw new FormatException("campus settings are not a JSON object");
        var format = (int?)json["format"];
        if (format != Version) throw new FormatException($"campus settings of format {format} (this release reads {Version})");
        return new CampusSettings
        {
            UtcOffset = json["utc_offset"] is { } offset ? TimeSpan.Parse(((string)offset!).TrimStart('+'), CultureInfo.InvariantCulture) : null,
            DayStartsAt = json["business_day_starts_at"] is { } start ? ParseTime(start) : null,
            SettlementCutOff = json["settlement_cut_off"] is { } cutOff ? ParseTime(cutOff) : null,
            Channels = (json["channels"]?.AsObject() ?? []).ToDictionary(c => c.Key, c => new ChannelRules
            {
                MinFen = (long)c.Value!["min_fen"]!, MaxFen = (long)c.Value["max_fen"]!,
                OpensAt = ParseTime(c.Value["opens_at"]!),
                ClosesAt = ParseTime(c.Value["closes_at"]!),
                ToPending = (bool)c.Value["to_pending"]!,
            }, StringComparer.OrdinalIgnoreCase),
            CardTypes = (json["card_types"]?.AsObject() ?? []).ToDictionary(t => Enum.Parse<CardType>(t.Key.Replace("_", ""), ignoreCase: true), t => new CardTypeRules
            {
                SingleLimitFen = (long)t.Value!["single_limit_fen"]!, DailyLimitFen = (long)t.Value["daily_limit_fen"]!, ReplacementFeeFen = (long)t.Value["replacement_fee_fen"]!,
            }),
            DefaultPin = json["default_pin"] is { } pin ? Enum.Parse<DefaultPinRule>(((string)pin!).Replace("_", ""), ignoreCase: true) : null,
            AutoClaim = (bool?)json["auto_claim"],
            SubsidyClaimDays = (int?)json["subsidy_claim_days"],
            OfflineMaxAge = json["offline_max_age_seconds"] is { } age ? TimeSpan.FromSeconds((long)age!) : null,
            CardGroup = (string?)json["card_group"],
        };
    }

    /// <summary>"+08:00", "-05:30".</summary>
    public static string Offset(TimeSpan offset) => (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>"05:00"; a time with seconds in full ("23:59:59.9999999", a channel open to the end of the day).</summary>
    public static string Time(TimeOnly time) =>
        time.ToString(time.Ticks % TimeSpan.TicksPerMinute == 0 ? "HH:mm" : "HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    private static TimeOnly ParseTime(JsonNode node) => TimeOnly.Parse((string)node!, CultureInfo.InvariantCulture);
}
