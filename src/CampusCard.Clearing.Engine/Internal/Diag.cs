namespace CampusCard.Clearing.Engine.Internal;
internal static class Diag
{
    public static readonly object Lock = new();
    public static long QueueWait, QueueN, Decide, DecideN, DecideReqs, WaitWrite, WaitWriteN, Write, WriteN, WriteEntries, Total, TotalN;
    static Diag()
    {
        if (Environment.GetEnvironmentVariable("CC_DIAG") is null) return;
        new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(5000);
                static double Ms(long t, long n) => n == 0 ? 0 : t * 1000.0 / System.Diagnostics.Stopwatch.Frequency / n;
                Console.Error.WriteLine($"DIAG queue {Ms(QueueWait, QueueN):F2}ms decide {Ms(Decide, DecideN):F2}ms x{(DecideN == 0 ? 0 : DecideReqs / DecideN)} waitwrite {Ms(WaitWrite, WaitWriteN):F2}ms write {Ms(Write, WriteN):F2}ms x{(WriteN == 0 ? 0 : WriteEntries / WriteN)} total {Ms(Total, TotalN):F2}ms");
                QueueWait = QueueN = Decide = DecideN = DecideReqs = WaitWrite = WaitWriteN = Write = WriteN = WriteEntries = Total = TotalN = 0;
            }
        }) { IsBackground = true }.Start();
    }
}
