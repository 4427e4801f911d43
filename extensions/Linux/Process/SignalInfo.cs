namespace Spindle.Extensions.Linux.Process;

/// <summary>The parts of a siginfo_t the personality fills: code, sender, and the fault address or child status.</summary>
/// <param name="Code">si_code (SI_USER 0, SI_TKILL -6, SEGV_MAPERR 1, CLD_EXITED 1, ...).</param>
/// <param name="Pid">Sending or child pid.</param>
/// <param name="Uid">Sending or child uid.</param>
/// <param name="Status">Child exit status or signal (SIGCHLD).</param>
/// <param name="Address">Faulting address (SIGSEGV, SIGBUS, SIGILL).</param>
internal readonly record struct SignalInfo(int Code, int Pid, uint Uid, int Status, ulong Address);
