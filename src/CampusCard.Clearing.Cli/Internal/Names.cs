using System.Text;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>Enum values as the command line spells them: FreezeReason.InfoChanged is info-changed.</summary>
internal static class Names
{
    public static string Kebab(string pascal)
    {
        var kebab = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && kebab.Length > 0) kebab.Append('-');
            kebab.Append(char.ToLowerInvariant(c));
        }
        return kebab.ToString();
    }

    public static string Kebab<T>(T value) where T : struct, Enum => Kebab(value.ToString());

    /// <summary>Every value but the proto's UNSPECIFIED zero.</summary>
    public static IEnumerable<T> Choices<T>() where T : struct, Enum => Enum.GetValues<T>().Where(v => Convert.ToInt32(v) != 0);

    public static T? Parse<T>(string text) where T : struct, Enum =>
        Choices<T>().Select(v => (T?)v).FirstOrDefault(v => Kebab(v!.Value) == text.Trim().ToLowerInvariant());
}
