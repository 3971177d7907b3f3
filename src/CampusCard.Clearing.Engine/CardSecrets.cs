using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// Checks and stores card PINs and ID numbers as salted slow hashes (<see cref="Pins"/>), in the service, never in a
/// script, log, journal row or idempotency record. A hash check takes tens of milliseconds of CPU on purpose, so at
/// most one per core runs at once: a flood of PIN attempts queues here instead of taking the cores debits need.
/// </summary>
public sealed class CardSecrets(IRegistry registry, IOptions<CardRules> rules)
{
    private readonly SemaphoreSlim _cpu = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private readonly CardRules _rules = rules.Value;

    /// <summary>Checks a PIN against the holder's stored one; a holder without one (an older release's account) gets Wrong.</summary>
    public Task<PinCheck> CheckPinAsync(long holderId, string pin, CancellationToken cancellationToken) =>
        CheckAsync(holderId, SecretKind.Pin, pin, cancellationToken);

    /// <summary>Checks a secret (the PIN, the payment password) against the holder's stored one; none stored is Wrong.</summary>
    public async Task<PinCheck> CheckAsync(long holderId, SecretKind kind, string secret, CancellationToken cancellationToken)
    {
        var stored = await registry.SecretAsync(holderId, kind, cancellationToken);
        return stored is { } s && await VerifyAsync(secret, s.Hash, cancellationToken) ? PinCheck.Verified : PinCheck.Wrong;
    }

    /// <summary>Whether <paramref name="pin"/> is the holder's default PIN (to tell a change back to it).</summary>
    public async Task<bool> IsDefaultPinAsync(long holderId, string pin, CancellationToken cancellationToken)
    {
        var stored = await registry.SecretAsync(holderId, SecretKind.DefaultPin, cancellationToken);
        return stored is { } s && await VerifyAsync(pin, s.Hash, cancellationToken);
    }

    public async Task<bool> CheckIdNumberAsync(long holderId, string idNumber, CancellationToken cancellationToken)
    {
        var stored = await registry.IdNumberHashAsync(holderId, cancellationToken);
        return stored is not null && await VerifyAsync(Pins.NormalizeIdNumber(idNumber), stored, cancellationToken);
    }

    public Task<string> HashAsync(string secret, CancellationToken cancellationToken) =>
        OnCpuAsync(() => Pins.Hash(secret, _rules.SecretHashIterations), cancellationToken);

    /// <summary>A new account's secrets: its ID number, and its PIN and default PIN from it (handbook Q&amp;A 1).</summary>
    /// <param name="rule">How the account's campus makes the default PIN (DLUT: the last six, X as 1; CUMT: 后七-后二).</param>
    public async Task<(string IdNumberHash, string DefaultPinHash)> ForNewAccountAsync(string idNumber, DefaultPinRule rule, CancellationToken cancellationToken)
    {
        var normalized = Pins.NormalizeIdNumber(idNumber);
        return (await HashAsync(normalized, cancellationToken), await HashAsync(Pins.Default(normalized, rule), cancellationToken));
    }

    private Task<bool> VerifyAsync(string secret, string hash, CancellationToken cancellationToken) =>
        OnCpuAsync(() => Pins.Verify(secret, hash), cancellationToken);

    private async Task<T> OnCpuAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _cpu.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _cpu.Release();
        }
    }
}
