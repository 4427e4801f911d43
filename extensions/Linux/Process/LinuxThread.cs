using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux.Process;

/// <summary>What a thread is doing inside a blocking call that keeps state across restarts.</summary>
internal enum BlockedCall : byte { None, Futex, Sleep, Vfork, Suspend, Poll }

/// <summary>
/// The personality's state for one Linux thread (one user strand): its process, signal mask and
/// thread-directed pending signals, clear-child-tid address, alternate signal stack, and the state a
/// blocking call keeps across restarts (its absolute deadline, whether a futex wake arrived).
/// Reached through the personality's strand slot.
/// </summary>
public sealed class LinuxThread
{
    internal LinuxThread(LinuxProcess process, IUserStrand strand)
    {
        Process = process;
        Strand = strand;
    }

    /// <summary>The process the thread belongs to (changes only at fork, never after).</summary>
    public LinuxProcess Process { get; }

    /// <summary>The strand running the thread.</summary>
    public IUserStrand Strand { get; }

    /// <summary>The Linux tid.</summary>
    public int Tid => Strand.Id;

    /// <summary>Blocked signals (bit N-1 for signal N).</summary>
    internal ulong Blocked;

    /// <summary>Signals sent to this thread (tgkill, faults), and their siginfo.</summary>
    internal ulong Pending;
    internal readonly SignalInfo[] PendingInfo = new SignalInfo[Abi.LinuxAbi.NSIG + 1];

    /// <summary>set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits.</summary>
    internal ulong ClearChildTid;

    /// <summary>sigaltstack: base, size and flags (SS_DISABLE when none).</summary>
    internal ulong AltStackBase, AltStackSize;
    internal int AltStackFlags = Abi.LinuxAbi.SS_DISABLE;

    /// <summary>The blocking call in progress across restarts, its absolute deadline (-1: none) and outcome.</summary>
    internal BlockedCall Call;
    internal long Deadline = -1;
    internal bool FutexWoken;
    internal uint FutexBitset;
    internal FutexKey FutexKey;

    /// <summary>rt_sigsuspend: the mask to restore once a handler has run (saved in its frame).</summary>
    internal ulong SavedMask;

    /// <summary>The child a CLONE_VFORK parent waits for (until it execs or exits).</summary>
    internal LinuxProcess? VforkChild;

    /// <summary>prctl PR_SET_NAME: the thread's name (comm, at most 15 bytes); null: the executable's base name.</summary>
    internal byte[]? Name;

    /// <summary>The thread's own wait queue: futex waits and vfork park here, so a wake can pick its thread.</summary>
    internal IWaitQueue? Queue;
}
