using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>Refuses, at start, Finance settings the service could not work with, naming the setting.</summary>
public sealed class FinanceOptionsValidation : IValidateOptions<FinanceOptions>
{
    public ValidateOptionsResult Validate(string? name, FinanceOptions options) =>
        BankFileLayout.Problem(options.BankFile) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
