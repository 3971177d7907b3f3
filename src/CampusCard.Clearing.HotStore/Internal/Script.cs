using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// A Lua script called by its SHA-1 (EVALSHA), loaded again when Redis answers NOSCRIPT (after a restart or a SCRIPT
/// FLUSH). The client's own script cache looks the script's whole text up on every call: the decide script is tens of
/// kilobytes, hashed once per batch.
/// </summary>
internal sealed class Script(string text)
{
    private readonly byte[] _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));

    public string Text { get; } = text;

    public async Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await db.ScriptEvaluateAsync(_sha1, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(Text, keys, values);
        }
    }
}
