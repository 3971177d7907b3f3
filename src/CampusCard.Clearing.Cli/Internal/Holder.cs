using System.CommandLine;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>Whose card a command changes: --person or --card, exactly one of them (the proto's oneof holder).</summary>
internal sealed class Holder
{
    public Option<string?> Person { get; } = new("--person") { Description = "the cardholder's person number (学号 / 工号)" };
    public Option<string?> Card { get; } = new("--card") { Description = "the card number" };

    public Command AddTo(Command command)
    {
        command.With(Person, Card);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(Person) is null) == (result.GetValue(Card) is null)) result.AddError("give exactly one of --person and --card");
        });
        return command;
    }

    /// <summary>Sets the request's person_no or card_no, whichever was given.</summary>
    public T Apply<T>(Invocation invocation, T request, Action<T, string> setPersonNo, Action<T, string> setCardNo)
    {
        if (invocation.Value(Person) is { } personNo) setPersonNo(request, personNo);
        else setCardNo(request, invocation.Value(Card)!);
        return request;
    }
}
