using FsCheck;
using FsCheck.Fluent;

namespace CampusCard.Clearing.Tests.Model;

public enum OpKind
{
    Credit, TopUp, Debit, PinDebit, Transfer, Reverse, LateDebit, Retry, ReportLoss, CancelLoss, Freeze, Unfreeze, Replace, Close,
    PendingTopUp, Claim, Hold, Settle, Release, Offline, AutoTopUp, Restart,
}

/// <summary>
/// One generated step. <see cref="Holder"/> picks one of the scenario's holders; <see cref="Target"/>
/// picks an earlier step (reversals, settles, releases, retries); <see cref="Merchant"/> the merchant whose terminal sends a
/// debit, reversal or hold; <see cref="Flag"/> a reversal, settle or release of an earlier step (else of one never sent),
/// the right PIN (else a wrong one), a transfer's direction.
/// </summary>
public sealed record Op(OpKind Kind, int Holder, long Amount, int Merchant, int Target, bool Flag)
{
    public const int Holders = 3;

    public static Gen<Op> Generator { get; } =
        from kind in Gen.Frequency(
            (3, Gen.Constant(OpKind.Credit)), (1, Gen.Constant(OpKind.TopUp)), (6, Gen.Constant(OpKind.Debit)),
            (2, Gen.Constant(OpKind.PinDebit)), (2, Gen.Constant(OpKind.Transfer)), (2, Gen.Constant(OpKind.Reverse)),
            (1, Gen.Constant(OpKind.LateDebit)), (3, Gen.Constant(OpKind.Retry)), (1, Gen.Constant(OpKind.ReportLoss)),
            (1, Gen.Constant(OpKind.CancelLoss)), (1, Gen.Constant(OpKind.Freeze)), (1, Gen.Constant(OpKind.Unfreeze)),
            (1, Gen.Constant(OpKind.Replace)), (1, Gen.Frequency((1, Gen.Constant(OpKind.Close)), (4, Gen.Constant(OpKind.Debit)))),
            (2, Gen.Constant(OpKind.PendingTopUp)), (1, Gen.Constant(OpKind.Claim)), (2, Gen.Constant(OpKind.Hold)), (2, Gen.Constant(OpKind.Settle)),
            (1, Gen.Constant(OpKind.Release)), (2, Gen.Constant(OpKind.Offline)), (1, Gen.Constant(OpKind.AutoTopUp)),
            (1, Gen.Frequency((1, Gen.Constant(OpKind.Restart)), (3, Gen.Constant(OpKind.Debit)))))
        from holder in Gen.Choose(0, Holders - 1)
        from amount in Gen.Frequency((4, Gen.Choose(1, 3_000)), (1, Gen.Choose(1_000, 25_000)))
        from merchant in Gen.Choose(0, 1)
        from target in Gen.Choose(0, 1_000)
        from flag in ArbMap.Default.GeneratorFor<bool>()
        select new Op(kind, holder, amount, merchant, target, flag);

    public static Arbitrary<Op[]> Scenarios { get; } = Gen.ArrayOf(Generator).ToArbitrary();
}
