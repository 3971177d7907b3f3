using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf.Reflection;

namespace CampusCard.Clearing.Tests.Rules;

/// <summary>Codes have one source, Domain/Enums.cs: the .proto enums and the journal's codes table are pinned to it.</summary>
public class CodesTests
{
    public static TheoryData<string, string> ProtoEnums => new()
    {
        { nameof(DeclineReason), "DECLINE_REASON" },
        { nameof(Outcome), "OUTCOME" },
        { nameof(CardType), "CARD_TYPE" },
        { nameof(CardState), "CARD_STATE" },
        { nameof(FreezeReason), "FREEZE_REASON" },
        { nameof(ReplaceReason), "REPLACE_REASON" },
        { nameof(MerchantCategory), "MERCHANT_CATEGORY" },
        { nameof(SystemAccount), "SYSTEM_ACCOUNT" },
        { nameof(TransferDirection), "TRANSFER_DIRECTION" },
        { nameof(Effect), "EFFECT" },
        { nameof(ErrorReason), "ERROR_REASON" },
    };

    [Theory]
    [MemberData(nameof(ProtoEnums))]
    public void Every_proto_enum_value_is_the_domains_by_name(string name, string prefix)
    {
        var domain = typeof(Outcome).Assembly.GetType($"CampusCard.Clearing.Domain.{name}")!;
        var proto = FindEnum(name);
        var expected = Enum.GetValues(domain).Cast<object>()
            .Select(v => ($"{prefix}_{CodeTable.SnakeCase(v.ToString()!).ToUpperInvariant()}", Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)))
            .Where(v => v.Item2 != 0);
        var actual = proto.Values.Where(v => v.Number != 0).Select(v => (v.Name, v.Number));

        Assert.Equal(expected.OrderBy(v => v.Item2), actual.OrderBy(v => v.Number));
    }

    [Fact]
    public void The_reversal_reply_effects_are_the_first_of_the_domains_effects()
    {
        var reversal = Contracts.V1.TerminalReflection.Descriptor.EnumTypes.Single(e => e.Name == "ReversalEffect");
        var expected = new[] { Effect.Refunded, Effect.NothingToReverse, Effect.OriginalUnknown }
            .Select(v => ($"REVERSAL_EFFECT_{CodeTable.SnakeCase(v.ToString()).ToUpperInvariant()}", (int)v));

        Assert.Equal(expected, reversal.Values.Where(v => v.Number != 0).Select(v => (v.Name, v.Number)));
    }

    private static EnumDescriptor FindEnum(string name) =>
        new[] { Contracts.V1.CommonReflection.Descriptor, Contracts.V1.FundingReflection.Descriptor, Contracts.V1.TerminalReflection.Descriptor }
            .SelectMany(f => f.EnumTypes)
            .Single(e => e.Name == name);
}
