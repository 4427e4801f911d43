using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux.Signals;

/// <summary>
/// Unix's words for how a process ended, kept here in the personality: the kernel reports a strand's end in
/// its own terms (<see cref="StrandEnd"/>: exited or killed with the code the personality gave, a fault
/// nobody handled, a kernel abort), and this class turns that into a wait status, the shell's exit status
/// (128+N for signal N) and a signal's name.
/// </summary>
internal static class Termination
{
    /// <summary>The signal a fault of <paramref name="kind"/> raises.</summary>
    public static int FaultSignal(FaultKind kind) => kind switch
    {
        FaultKind.PageFault => LinuxAbi.SIGSEGV,
        FaultKind.IllegalInstruction => LinuxAbi.SIGILL,
        FaultKind.Breakpoint => LinuxAbi.SIGTRAP,
        _ => LinuxAbi.SIGBUS,
    };

    /// <summary>
    /// The wait status of a process whose last strand ended as <paramref name="end"/>: (status &amp; 0xff) &lt;&lt; 8 for
    /// an exit, the signal for a kill, the fault's signal for a fault nobody handled, SIGABRT for a kernel abort.
    /// </summary>
    public static int WaitStatusOf(StrandEnd end) => end.Kind switch
    {
        StrandEndKind.Exited => (end.Code & 0xff) << 8,
        StrandEndKind.Killed => end.Code & 0x7f,
        StrandEndKind.Faulted => FaultSignal(end.Fault),
        StrandEndKind.Aborted => LinuxAbi.SIGABRT,
        _ => 0,
    };

    /// <summary>The shell's exit status for <paramref name="waitStatus"/>: the exit code, or 128 + the signal that killed it.</summary>
    public static int ShellStatus(int waitStatus) =>
        (waitStatus & 0x7f) != 0 ? 128 + (waitStatus & 0x7f) : (waitStatus >> 8) & 0xff;

    /// <summary>"killed by SIGSEGV" if <paramref name="waitStatus"/> says a signal killed the process; null if it exited.</summary>
    public static string? Describe(int waitStatus) =>
        (waitStatus & 0x7f) != 0 ? "killed by " + SignalName(waitStatus & 0x7f) : null;

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>The name of <paramref name="signal"/> ("SIGSEGV"), or "signal N" for one without a name (real-time signals).</summary>
    public static string SignalName(int signal) =>
        signal > 0 && signal < Names.Length ? Names[signal] : $"signal {signal}";
}
