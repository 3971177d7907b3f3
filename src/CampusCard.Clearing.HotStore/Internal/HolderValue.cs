using System.Buffers.Binary;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// A holder's hot state as one Redis string: seven little-endian 64-bit integers, card issue, card
/// state, purse, e-wallet, pending, spend day and day spent, as decide.lua packs them with
/// <c>struct.pack('&lt;i8i8i8i8i8i8i8', ...)</c>. One GET and one SET per holder and batch cost Redis
/// less than reading and writing the fields of a hash.
/// </summary>
internal static class HolderValue
{
    private const int Fields = 7;
    private const int Length = Fields * sizeof(long);

    public static byte[] Pack(HolderHotState h)
    {
        var value = new byte[Length];
        var span = value.AsSpan();
        long[] fields = [h.CardIssue, (long)h.CardState, h.Balances.PurseFen, h.Balances.WalletFen, h.Balances.PendingFen, h.SpendDay, h.DaySpentFen];
        for (var i = 0; i < Fields; i++) BinaryPrimitives.WriteInt64LittleEndian(span[(i * sizeof(long))..], fields[i]);
        return value;
    }

    public static HolderHotState Unpack(long holderId, ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
            throw new InvalidDataException($"holder {holderId}'s hot state is {value.Length} bytes, not {Length}: the store holds another format");
        return new HolderHotState(holderId, (int)Field(value, 0), (CardState)Field(value, 1),
            new Balances(Field(value, 2), Field(value, 3), Field(value, 4)), (int)Field(value, 5), Field(value, 6));
    }

    private static long Field(ReadOnlySpan<byte> value, int i) => BinaryPrimitives.ReadInt64LittleEndian(value[(i * sizeof(long))..]);
}
