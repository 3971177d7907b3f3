using System.Runtime.InteropServices;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>POSIX signals to a process the test started (Linux numbers).</summary>
public static class Signals
{
    public const int Kill = 9;
    public const int Terminate = 15;
    public const int Continue = 18;
    public const int Stop = 19;

    private const int NoSuchProcess = 3;

    /// <summary>Sends the signal; a process that is gone already (ESRCH) is no failure.</summary>
    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0 && Marshal.GetLastPInvokeError() != NoSuchProcess) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
