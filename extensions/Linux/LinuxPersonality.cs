using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Extensions.Linux.Trace;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Time;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

/// <summary>The kernel services the personality is built on; <paramref name="Memory"/> (null: not granted) gives /proc and sysinfo the machine's frame counts.</summary>
public sealed record LinuxServices(IHostFileSystem FileSystem, IConsole Console, IClock Clock, IEntropySource Entropy,
    Sdk.PhysAddr.IPhysAddrService? Memory)
{
    /// <summary>The services without the machine's frames (memory figures read 0).</summary>
    public LinuxServices(IHostFileSystem fileSystem, IConsole console, IClock clock, IEntropySource entropy)
        : this(fileSystem, console, clock, entropy, null) { }
}

/// <summary>
/// The Linux personality: the RISC-V Linux system-call ABI on top of the Sdk. <see cref="Attach"/> links
/// it into a kernel: <see cref="Syscall"/> handles the system-call event, and the fault, return-to-user
/// and strand-exit events drive signals and process lifetime. Every call validates its arguments and
/// answers a negated errno rather than throwing; numbers it does not implement answer -ENOSYS.
/// Not reentrant: all strands it serves run on one host thread.
/// </summary>
public sealed partial class LinuxPersonality
{
    private readonly IHostFileSystem _fs;
    private readonly IConsole _console;
    private readonly IClock _clock;
    private readonly IEntropySource _entropy;
    private readonly Sdk.PhysAddr.IPhysAddrService? _memory;
    private readonly long _bootNanoseconds;   // the monotonic clock when the personality was made: uptime's zero
    private SyscallTracer? _tracer;
    private readonly ProcessTable _processes = new();
    private IStrandService? _strands;
    private ILifecycleEvents? _lifecycle;   // null until attached (a personality used as a library in tests)
    private StrandSlot<LinuxThread>? _threads;   // each strand's Linux thread: this domain's own slot

    // Staging buffers between user memory and host services; the syscall path allocates nothing.
    private readonly byte[] _scratch = new byte[64 * 1024];
    private readonly byte[] _pathIn = new byte[LinuxAbi.PathMax - 1];
    private readonly byte[] _pathOut = new byte[2 * LinuxAbi.PathMax];

    /// <param name="services">Host services under the personality.</param>
    /// <param name="traceSyscalls">Print each call strace-style on the console's error stream.</param>
    public LinuxPersonality(LinuxServices services, bool traceSyscalls = false)
    {
        _fs = services.FileSystem;
        _console = services.Console;
        _clock = services.Clock;
        _entropy = services.Entropy;
        _memory = services.Memory;
        _bootNanoseconds = _clock.MonotonicNanoseconds;
        _tracer = traceSyscalls ? new SyscallTracer(services.Console) : null;
    }

    /// <summary>Prints each system call strace-style on the console's error stream from now on (or stops).</summary>
    public void TraceSyscalls(bool on) => _tracer = on ? _tracer ?? new SyscallTracer(_console) : null;

    /// <summary>Creates a process whose descriptors 0, 1, 2 are the console's streams.</summary>
    public LinuxProcess CreateProcess(ProcessIdentity identity, string executable, string cwd, ulong brkStart, ulong mapBase, ulong mapLimit)
    {
        var process = new LinuxProcess(identity, executable, cwd, brkStart, mapBase, mapLimit);
        process.Files.Locks = Locks;
        for (int stream = 0; stream < 3; stream++) process.Install(new ConsoleFile(Console, stream));
        process.StartNanoseconds = process.CreatedNanoseconds = _clock.MonotonicNanoseconds;
        _processes.Add(process);
        return process;
    }

    /// <summary>Makes <paramref name="strand"/> the first thread of <paramref name="process"/>; returns the thread.</summary>
    public LinuxThread AdoptStrand(IUserStrand strand, LinuxProcess process)
    {
        var thread = new LinuxThread(process, strand);
        process.Threads.Add(thread);
        _processes.AddThread(thread);
        Threads.Set(strand, thread);
        return thread;
    }

    /// <summary>Uses <paramref name="slot"/> for each strand's thread (a personality not attached to a kernel: tests).</summary>
    public void UseThreadSlot(StrandSlot<LinuxThread> slot) => _threads = slot;

    // The strand slot holding each strand's thread; taken from the strand service at Attach.
    private StrandSlot<LinuxThread> Threads => _threads ?? throw new InvalidOperationException("the personality has no strand slot: Attach it first");

    // The Linux thread running on `strand`, or null if the strand is not one of this personality's.
    internal LinuxThread? ThreadOf(IUserStrand strand) => _threads is { } slot ? slot.Get(strand) : null;

    /// <summary>
    /// Links the personality into a kernel: installs its handlers on the trap events through
    /// <paramref name="dispatcher"/> (its domain's), takes wait queues from <paramref name="strands"/>, and raises
    /// <see cref="ILifecycleEvents.ProcessEnded"/> on <paramref name="lifecycle"/> when a process ends.
    /// </summary>
    public void Attach(IDispatcher dispatcher, ITrapEvents traps, ILifecycleEvents lifecycle, IStrandService strands)
    {
        _strands = strands;
        _lifecycle = lifecycle;
        _threads ??= strands.CreateSlot<LinuxThread>("linux threads");
        _sleepDone = strands.CreateContinuation("nanosleep", SleepResumed);
        // Linux's own numbers only: Spindle's calls (SpindleCalls.First and up) are claimed through the kernel
        // by their owners, and fall to the event's default (-ENOSYS) when nothing handles them.
        dispatcher.Install(traps.Syscall, OnSyscall, t => t.Number < SpindleCalls.First);
        dispatcher.Install(traps.Fault, OnFault);
        dispatcher.Install(traps.ReturnToUser, OnReturnToUser);
        dispatcher.Install(traps.Exited, OnStrandExited);
    }

    /// <summary>The process with id <paramref name="pid"/>, live or zombie; null if none.</summary>
    public LinuxProcess? FindProcess(int pid) => _processes.Find(pid);

    private bool OnSyscall(SyscallTrap trap)
    {
        Syscall(trap.Strand);
        return true;
    }

    /// <summary>
    /// The system-call handler: performs the call <paramref name="strand"/> made and leaves
    /// its result (or negated errno) in the strand. A strand with no Linux process gets -ENOSYS.
    /// </summary>
    public void Syscall(IUserStrand strand)
    {
        if (ThreadOf(strand) is not { } thread) { strand.Result = -Errno.ENOSYS; return; }
        if (_tracer != null) { TracedSyscall(strand, thread); return; }
        long result = Dispatch(strand, thread);
        if (!strand.HasExited) strand.Result = result;
    }

    // Slow path: the same call, printed before (exit) or after (everything else).
    private void TracedSyscall(IUserStrand strand, LinuxThread thread)
    {
        _tracer!.Before(strand);
        long result = Dispatch(strand, thread);
        if (!strand.HasExited) strand.Result = result;
        _tracer.After(strand, result);
    }

    // Runs call number a7 with arguments a0..a5 through the body its row of the table gave; returns the result register value.
    // The hot path: one bounds check and one load (SyscallBodies, not the rows), then the body.
    private long Dispatch(IUserStrand s, LinuxThread t)
    {
        _caller = t;
        ulong n = s.Number;
        SyscallBody?[] bodies = SyscallBodies;
        return n < (ulong)bodies.Length && bodies[n] is { } body ? body(this, s, t) : -Errno.ENOSYS;
    }
}
