namespace CampusCard.Clearing.Engine;

/// <summary>The unit of the bank file's amounts.</summary>
public enum BankAmountUnit
{
    /// <summary>Whole fen: 12345.</summary>
    Fen,
    /// <summary>Yuan with at most two decimals: 123.45.</summary>
    Yuan,
}

/// <summary>Whether the bank's file begins with a header line.</summary>
public enum BankFileHeader
{
    /// <summary>A first line whose date (without a date column: whose amount) is not one is a header.</summary>
    Optional,
    Yes,
    No,
}

/// <summary>Finance:BankFile: the bank's daily file of top-ups as that bank writes it (对账文件).</summary>
public sealed class BankFileOptions
{
    /// <summary>The columns in the file's order: reference, person_no and amount once each, date at most once, skip for one not read.</summary>
    public string Columns { get; set; } = "date,reference,person_no,amount";

    public BankAmountUnit Amount { get; set; } = BankAmountUnit.Fen;

    /// <summary>The encoding of a file sent as bytes: auto (UTF-8, else GB18030), utf-8, gb18030 or gbk.</summary>
    public string Encoding { get; set; } = "auto";

    public BankFileHeader Header { get; set; } = BankFileHeader.Optional;

    /// <summary>How the date column is written (.NET custom format): yyyy-MM-dd, yyyyMMdd, yyyy/MM/dd…</summary>
    public string DateFormat { get; set; } = "yyyy-MM-dd";
}
