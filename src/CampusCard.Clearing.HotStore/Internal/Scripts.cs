namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The Lua the hot store runs, assembled once. Decide is a function library: its definitions are the generated prelude,
/// the deciders' shared functions (Lua/lib/*.lua) and every kind's decider (Lua/kinds/*.lua, each filling
/// DECIDE[KIND.X]); the function is the driver (Lua/decide.lua), so one FCALL decides a batch.
/// </summary>
internal static class Scripts
{
    public static readonly RedisFunction Decide = new("decide",
        LuaPrelude.Generate() + string.Concat(Resources("lua/lib/").Concat(Resources("lua/kinds/")).Select(r => Load(r) + "\n")), Load("lua/decide.lua"));

    public static readonly Script Read = new(Load("lua/read.lua"));

    public static readonly Script Complete = new(Load("lua/complete.lua"));

    public static IEnumerable<string> Resources(string prefix) =>
        typeof(Scripts).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public static string Load(string name)
    {
        using var stream = typeof(Scripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded script {name} is missing");
        return new StreamReader(stream).ReadToEnd();
    }
}
