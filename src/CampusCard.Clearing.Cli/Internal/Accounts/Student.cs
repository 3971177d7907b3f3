using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Files;

namespace CampusCard.Clearing.Cli.Internal.Accounts;

/// <summary>One row of a new year's students: person_no,name,card_type,id_number[,card_no].</summary>
internal sealed record Student(int Line, string PersonNo, OpenAccountRequest Request)
{
    public const string Header = "person_no";

    /// <summary>The student of a line, or why the line is not one.</summary>
    public static (Student? Student, string? Problem) Parse(CsvRecord line)
    {
        var f = line.Fields;
        if (f.Count is < 4 or > 5) return (null, $"{f.Count} fields, expected person_no,name,card_type,id_number[,card_no]");
        if (Names.Parse<CardType>(f[2]) is not { } cardType) return (null, $"card type '{f[2]}' is not one of {string.Join(", ", Names.Choices<CardType>().Select(Names.Kebab))}");
        var request = new OpenAccountRequest
        {
            PersonNo = f[0],
            Name = f[1],
            CardType = cardType,
            IdNumber = f[3],
            CardNo = f.Count == 5 ? f[4] : "",
        };
        return (new Student(line.Line, f[0], request), null);
    }
}
