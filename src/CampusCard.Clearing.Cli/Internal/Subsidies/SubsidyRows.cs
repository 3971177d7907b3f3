using System.Globalization;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Files;

namespace CampusCard.Clearing.Cli.Internal.Subsidies;

/// <summary>A subsidy batch's file: person_no,amount_fen[,memo] per line. One bad line and nothing is sent, as the service would refuse the upload.</summary>
internal static class SubsidyRows
{
    public const string Header = "person_no";

    public static List<SubsidyRow> Read(FileInfo file, TextEncoding? encoding) => [.. FileInput.Records(file, encoding, Header).Select(Parse)];

    private static SubsidyRow Parse(CsvRecord line)
    {
        var f = line.Fields;
        if (f.Count is < 2 or > 3) throw CliFailure.Usage($"line {line.Line}: {f.Count} fields, expected person_no,amount_fen[,memo]");
        if (!long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var amountFen) || amountFen <= 0)
        {
            throw CliFailure.Usage($"line {line.Line}: amount_fen '{f[1]}' is not a positive whole number of fen");
        }
        return new SubsidyRow { PersonNo = f[0], AmountFen = amountFen, Memo = f.Count == 3 ? f[2] : "" };
    }
}
