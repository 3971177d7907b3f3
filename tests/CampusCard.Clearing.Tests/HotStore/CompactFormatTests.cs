using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using StackExchange.Redis;

namespace CampusCard.Clearing.Tests.HotStore;

/// <summary>
/// What Redis keeps is compact (docs/performance.md, Redis memory per cardholder): C# packs integers as Lua's cmsgpack
/// does, byte for byte, and a holder and an idempotency record stay within what the campus model allows them.
/// </summary>
public class CompactFormatTests : StoreTestBase
{
    /// <summary>Each MessagePack integer width on both sides of its bounds, and the largest a fen amount or an id reaches.</summary>
    public static TheoryData<long> Widths =>
    [
        0, 1, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, 1L << 53,
        -1, -32, -33, -128, -129, -32_768, -32_769, int.MinValue, (long)int.MinValue - 1, -(1L << 53),
    ];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task An_integer_is_packed_by_csharp_as_luas_cmsgpack_packs_it_and_each_reads_the_others(long value)
    {
        var db = LocalServers.Redis.GetDatabase();
        var buffer = new byte[MessagePackIntegers.MaxLength];
        var written = MessagePackIntegers.Write(buffer, value);

        var byLua = (byte[])(await db.ScriptEvaluateAsync("return cmsgpack.pack(tonumber(ARGV[1]))", values: [value]))!;
        var readByLua = (string)(await db.ScriptEvaluateAsync("return string.format('%d', cmsgpack.unpack(ARGV[1]))", values: [buffer[..written]]))!;

        Assert.Equal(byLua, buffer[..written]);
        Assert.Equal((byLua.Length, value), (MessagePackIntegers.Read(byLua, out var readByCSharp), readByCSharp));
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), readByLua);
    }

    [Fact]
    public async Task A_holder_and_a_debits_record_each_take_at_most_their_share_of_300_bytes()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 1_250);
        await DecideAsync(debit);
        var db = LocalServers.Redis.GetDatabase();

        var holderBytes = (long)(await db.ExecuteAsync("MEMORY", "USAGE", HotProbe.HolderKey(Prefix, holder.PersonNo), "SAMPLES", "0"));
        var recordBytes = (long)(await db.ExecuteAsync("MEMORY", "USAGE", HotProbe.RecordKey(Prefix, holder.PersonNo, debit), "SAMPLES", "0"));

        // Packed fixed (a version byte and eight bytes a field) these two took 312 and 280 bytes, compact 152 each (keys
        // under a test's prefix, ten bytes longer than the service's).
        Assert.InRange(holderBytes, 1, 160);
        Assert.InRange(recordBytes, 1, 160);
    }
}
