using System.CommandLine;
using System.CommandLine.Parsing;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>An option naming a proto enum value in kebab case (card types, freeze reasons, categories).</summary>
internal static class EnumOption
{
    public static Option<T> Create<T>(string name, string description, bool required = true) where T : struct, Enum => new(name)
    {
        Description = description,
        Required = required,
        HelpName = string.Join('|', Names.Choices<T>().Select(Names.Kebab)),
        CustomParser = result => Parse<T>(name, result),
    };

    private static T Parse<T>(string name, ArgumentResult result) where T : struct, Enum
    {
        var text = result.Tokens.Single().Value;
        if (Names.Parse<T>(text) is { } value) return value;
        result.AddError($"{name}: '{text}' is not one of {string.Join(", ", Names.Choices<T>().Select(Names.Kebab))}");
        return default;
    }
}
