using System.Security.Cryptography;
using System.Text;

namespace CampusCard.Clearing.Domain;

/// <summary>
/// Card PINs (six digits) and ID numbers as salted slow hashes: PBKDF2-HMAC-SHA256 from the BCL, stored as
/// "pbkdf2-sha256$iterations$salt$hash" (base64), so a stored hash names its own algorithm and cost and a later
/// change of either still verifies the old ones. Verification compares in fixed time.
/// </summary>
public static class Pins
{
    public const int Length = 6;
    private const string Algorithm = "pbkdf2-sha256";

    /// <summary>The rule a new PIN keeps, or null.</summary>
    public static Violation? Validate(string field, string? pin)
    {
        if (string.IsNullOrEmpty(pin)) return Validation.Fail(field, $"is required");
        if (pin.Length != Length || !pin.All(char.IsAsciiDigit)) return Validation.Fail(field, $"must be {Length} digits");
        return null;
    }

    /// <summary>An ID number's shape (18 characters, digits and a final digit or X; 15 digits for old ones), or null.</summary>
    public static Violation? ValidateIdNumber(string field, string? idNumber)
    {
        if (string.IsNullOrEmpty(idNumber)) return Validation.Fail(field, $"is required");
        var last = char.ToUpperInvariant(idNumber[^1]);
        var valid = idNumber.Length switch
        {
            18 => idNumber[..17].All(char.IsAsciiDigit) && (char.IsAsciiDigit(last) || last == 'X'),
            15 => idNumber.All(char.IsAsciiDigit),
            _ => false,
        };
        if (!valid) return Validation.Fail(field, $"must be 18 characters (digits, the last a digit or X) or 15 digits");
        return null;
    }

    /// <summary>The default PIN of an ID number (handbook Q&amp;A 1: 身份证号后六位，末尾为“X”用“1”代替).</summary>
    public static string Default(string idNumber, DefaultPinRule rule)
    {
        var id = idNumber.ToUpperInvariant();
        return rule switch
        {
            DefaultPinRule.LastSixBeforeX when id.EndsWith('X') => id[^7..^1],
            DefaultPinRule.LastSixBeforeX => id[^6..],
            _ => id[^6..].Replace('X', '1'),
        };
    }

    public static string Hash(string secret, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Algorithm}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm || !int.TryParse(parts[1], out var iterations)) return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>ID numbers are compared upper-case (a final x is an X).</summary>
    public static string NormalizeIdNumber(string idNumber) => idNumber.Trim().ToUpperInvariant();
}
