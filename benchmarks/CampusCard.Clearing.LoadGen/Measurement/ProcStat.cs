using System.Globalization;

namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>The fields of /proc/&lt;pid&gt;/stat the CPU accounting needs, in clock ticks.</summary>
public readonly record struct ProcStat(int ParentPid, long OwnTicks, long ReapedChildTicks)
{
    /// <summary>USER_HZ, the unit of /proc times; 100 on every Linux ABI .NET runs on (getconf CLK_TCK).</summary>
    public const double TicksPerSecond = 100;

    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name may hold spaces and parentheses: the fields start after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcStat((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
