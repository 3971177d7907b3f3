using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CampusCard.Clearing.Journal.Internal;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (the COPY command's reference, "Binary Format"): a signature and two zero
/// words, then per row its field count and each field as a length and the type's binary send form (network byte order),
/// -1 for null; a -1 field count ends the data. Written here, into one buffer sent by one write, because Npgsql's
/// importer resolved each value's type on every write: 47 lookups a row, more than writing the values.
/// </summary>
internal sealed class BinaryCopyRows
{
    // "PGCOPY\n\377\r\n\0": 0xFF is one byte here, which a UTF-8 literal cannot say.
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    private static readonly DateTime PostgresEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public BinaryCopyRows()
    {
        _buffer.Write(Signature);
        Int32Raw(0);
        Int32Raw(0);
    }

    public ReadOnlyMemory<byte> Complete()
    {
        Int16Raw(-1);
        return _buffer.WrittenMemory;
    }

    public void StartRow(short fields) => Int16Raw(fields);

    public void Null() => Int32Raw(-1);

    public void Int64(long value)
    {
        Int32Raw(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Int32(int value)
    {
        Int32Raw(4);
        Int32Raw(value);
    }

    public void Int16(short value)
    {
        Int32Raw(2);
        Int16Raw(value);
    }

    public void Boolean(bool value)
    {
        Int32Raw(1);
        _buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _buffer.Advance(1);
    }

    /// <summary>Text in UTF-8, the connection's client encoding (Npgsql always sets it).</summary>
    public void Text(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Int32Raw(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32Raw(value.Length);
        _buffer.Write(value);
    }

    /// <summary>A timestamptz: microseconds since 2000-01-01 UTC.</summary>
    public void Time(DateTime utc) => Int64((utc - PostgresEpoch).Ticks / TimeSpan.TicksPerMicrosecond);

    private void Int32Raw(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    private void Int16Raw(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }
}
