namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The Lua the hot store runs: one function library, assembled once. Its definitions are the generated prelude, the
/// deciders' shared functions (Lua/lib/*.lua) and every kind's decider (Lua/kinds/*.lua, each filling DECIDE[KIND.X]);
/// its functions are decide (Lua/decide.lua: one FCALL decides a batch), read (a holder) and complete (a rebuild's end).
/// </summary>
internal static class Scripts
{
    public static readonly RedisFunctionLibrary Library = new(
        LuaPrelude.Generate() + string.Concat(Resources("lua/lib/").Concat(Resources("lua/kinds/")).Select(r => Load(r) + "\n")),
        ("decide", Load("lua/decide.lua")), ("read", Load("lua/read.lua")), ("complete", Load("lua/complete.lua")), ("restore", Load("lua/restore.lua")), ("advance", Load("lua/advance.lua")),
        ("lock_release", Load("lua/lock_release.lua")), ("lock_extend", Load("lua/lock_extend.lua")));

    public static readonly string Decide = Library.NameOf("decide");

    public static readonly string Read = Library.NameOf("read");

    public static readonly string Complete = Library.NameOf("complete");

    public static readonly string Advance = Library.NameOf("advance");

    public static readonly string Restore = Library.NameOf("restore");

    public static readonly string LockRelease = Library.NameOf("lock_release");

    public static readonly string LockExtend = Library.NameOf("lock_extend");

    public static IEnumerable<string> Resources(string prefix) =>
        typeof(Scripts).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public static string Load(string name)
    {
        using var stream = typeof(Scripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded script {name} is missing");
        return new StreamReader(stream).ReadToEnd();
    }
}
