using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// Job control: the default action of SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stops every thread of the process
// (each waits on the process's stop queue through IUserStrand.Stop, on its way back to user code) until SIGCONT
// continues it; the parent hears of both, by SIGCHLD (CLD_STOPPED, CLD_CONTINUED; not with SA_NOCLDSTOP) and
// by wait4/waitid with WUNTRACED and WCONTINUED. As Linux's prepare_signal, sending SIGCONT continues the process
// and discards its pending stop signals, and sending a stop signal discards a pending SIGCONT. SIGKILL ends a
// stopped process (killing its strands wakes them). Contract: the CPU's thread, as every call of the personality.
// Limitations: the stop signals are not discarded for an orphaned process group, and a personality with no wait
// queues (a library in tests) ignores them as it did before job control.
public sealed partial class LinuxPersonality
{
    private static readonly ulong StopSignals =
        Bit(LinuxAbi.SIGSTOP) | Bit(LinuxAbi.SIGTSTP) | Bit(LinuxAbi.SIGTTIN) | Bit(LinuxAbi.SIGTTOU);

    private static bool IsStopSignal(int signal) => (StopSignals & Bit(signal)) != 0;

    // A signal is being sent to p: SIGCONT continues it and clears pending stops; a stop clears a pending SIGCONT.
    private void PrepareSignal(LinuxProcess p, int signal)
    {
        ulong discard = signal == LinuxAbi.SIGCONT ? StopSignals : IsStopSignal(signal) ? Bit(LinuxAbi.SIGCONT) : 0;
        if (discard == 0) return;
        p.Pending &= ~discard;
        foreach (var t in p.Threads) t.Pending &= ~discard;
        if (signal == LinuxAbi.SIGCONT && p.Stopped) Continue(p);
    }

    private void Continue(LinuxProcess p)
    {
        p.Stopped = false;
        p.StopReportable = false;
        p.ContinueReportable = true;
        NotifyParentOfStop(p, LinuxAbi.CLD_CONTINUED, LinuxAbi.SIGCONT);
        p.StopQueue?.WakeAll();
    }

    // A stop signal's default action, delivered on s: the process stops (once), every thread with it. False if the
    // personality has no wait queue to stop on.
    private bool StopGroup(IUserStrand s, LinuxProcess p, int signal)
    {
        if ((p.StopQueue ??= NewQueue($"stopped {p.Pid}")) == null) return false;
        p.Stopped = true;
        p.StopSignal = signal;
        p.StopReportable = true;
        p.ContinueReportable = false;
        NotifyParentOfStop(p, LinuxAbi.CLD_STOPPED, signal);
        foreach (var other in p.Threads)
            if (other.Strand != s) other.Strand.SignalPending = true;   // each stops on its way back to user code
        return StopThread(s, p);
    }

    // Stops strand s of stopped process p. SignalPending stays set so that, woken, it comes back here while p is stopped.
    private static bool StopThread(IUserStrand s, LinuxProcess p)
    {
        if (p.StopQueue == null) return false;
        s.SignalPending = true;
        s.Stop(p.StopQueue);
        return true;
    }

    // Tells p's parent that p stopped or continued: SIGCHLD (unless it asked SA_NOCLDSTOP) and a wake-up of its waits.
    private void NotifyParentOfStop(LinuxProcess p, int code, int signal)
    {
        if (p.Parent is not { } parent) return;
        if ((parent.SignalActions[LinuxAbi.SIGCHLD].Flags & LinuxAbi.SA_NOCLDSTOP) == 0)
            SendToProcess(parent, LinuxAbi.SIGCHLD, new SignalInfo(code, p.Pid, p.Identity.Uid, signal, 0));
        parent.ChildQueue?.WakeAll();
    }

    /// <summary>What a wait found to report of a child.</summary>
    private enum ChildChange { None, Exited, Stopped, Continued }

    // A child of p matching wait's pid argument with something to report under options (WEXITED, WUNTRACED,
    // WCONTINUED): a zombie first found, else a stop or continue not yet collected. any: some child matches at all.
    private static LinuxProcess? FindWaitable(LinuxProcess p, int pid, int options, out bool any, out ChildChange change)
    {
        any = false;
        change = ChildChange.None;
        foreach (var child in p.Children)
        {
            bool match = pid > 0 ? child.Pid == pid : pid == 0 ? child.Pgid == p.Pgid : pid == -1 || child.Pgid == -pid;
            if (!match) continue;
            any = true;
            if ((options & LinuxAbi.WEXITED) != 0 && child.Zombie) change = ChildChange.Exited;
            else if (child.Zombie) continue;
            else if ((options & LinuxAbi.WUNTRACED) != 0 && child.Stopped && child.StopReportable) change = ChildChange.Stopped;
            else if ((options & LinuxAbi.WCONTINUED) != 0 && child.ContinueReportable) change = ChildChange.Continued;
            else continue;
            return child;
        }
        return null;
    }

    // The wait status and siginfo (code, status) of change in child.
    private static (int WaitStatus, int Code, int Status) Report(LinuxProcess child, ChildChange change) => change switch
    {
        ChildChange.Stopped => ((child.StopSignal << 8) | 0x7f, LinuxAbi.CLD_STOPPED, child.StopSignal),
        ChildChange.Continued => (0xffff, LinuxAbi.CLD_CONTINUED, LinuxAbi.SIGCONT),
        _ when (child.WaitStatus & 0x7f) != 0 => (child.WaitStatus, LinuxAbi.CLD_KILLED, child.WaitStatus & 0x7f),
        _ => (child.WaitStatus, LinuxAbi.CLD_EXITED, child.WaitStatus >> 8),
    };

    // The parent collected change: a zombie is reaped, a stop or continue is reported once.
    private void Collect(LinuxProcess parent, LinuxProcess child, ChildChange change)
    {
        if (change == ChildChange.Exited) Reap(parent, child);
        else if (change == ChildChange.Stopped) child.StopReportable = false;
        else child.ContinueReportable = false;
    }
}
