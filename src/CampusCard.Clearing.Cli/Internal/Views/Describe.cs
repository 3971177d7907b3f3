using CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Cli.Internal.Views;

/// <summary>Enum values and times in words.</summary>
internal static class Describe
{
    public static string Of<T>(T value) where T : struct, Enum => Names.Kebab(value);

    public static string Time(Google.Protobuf.WellKnownTypes.Timestamp? at) => at is null ? "—" : at.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss '+08'");

    public static string Outcome(Outcome outcome, DeclineReason reason) =>
        outcome == Contracts.V1.Outcome.Declined ? $"declined: {Of(reason)}" : Of(outcome);

    public static int ExitCode(Outcome outcome) => outcome == Contracts.V1.Outcome.Approved ? ExitCodes.Ok : ExitCodes.Declined;
}
