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

/// <summary>The kernel services the personality is built on.</summary>
public sealed record LinuxServices(IHostFileSystem FileSystem, IConsole Console, IClock Clock, IEntropySource Entropy);

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
        _tracer = traceSyscalls ? new SyscallTracer(services.Console) : null;
    }

    /// <summary>Prints each system call strace-style on the console's error stream from now on (or stops).</summary>
    public void TraceSyscalls(bool on) => _tracer = on ? _tracer ?? new SyscallTracer(_console) : null;

    /// <summary>Creates a process whose descriptors 0, 1, 2 are the console's streams.</summary>
    public LinuxProcess CreateProcess(ProcessIdentity identity, string executable, string cwd, ulong brkStart, ulong mapBase, ulong mapLimit)
    {
        var process = new LinuxProcess(identity, executable, cwd, brkStart, mapBase, mapLimit);
        for (int stream = 0; stream < 3; stream++) process.Install(new ConsoleFile(Console, stream));
        process.StartNanoseconds = _clock.MonotonicNanoseconds;
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
        // Linux's own numbers only: Spindle's calls (1000 and up) belong to the kernel and its extensions,
        // and fall to the event's default (-ENOSYS) when nothing handles them.
        dispatcher.Install(traps.Syscall, OnSyscall, t => t.Number < Sys.FirstSpindleCall);
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

    // Runs call number a7 with arguments a0..a5; returns the result register value.
    private long Dispatch(IUserStrand s, LinuxThread t)
    {
        LinuxProcess p = t.Process;
        _caller = t;
        ulong n = s.Number;
        if (n > int.MaxValue) return -Errno.ENOSYS;
        switch ((int)n)
        {
            case Sys.getpid: return p.Identity.Pid;
            case Sys.gettid: return s.Id;
            case Sys.getppid: return p.ParentPid;
            case Sys.getuid: case Sys.geteuid: return p.Identity.Uid;
            case Sys.getgid: case Sys.getegid: return p.Identity.Gid;
            case Sys.read: return Read(s, p, (uint)s.Arg0, s.Arg1, s.Arg2, -1);
            case Sys.write: return Write(s, p, (uint)s.Arg0, s.Arg1, s.Arg2, -1);
            case Sys.pread64: return (long)s.Arg3 < 0 ? -Errno.EINVAL : Read(s, p, (uint)s.Arg0, s.Arg1, s.Arg2, (long)s.Arg3);
            case Sys.pwrite64: return (long)s.Arg3 < 0 ? -Errno.EINVAL : Write(s, p, (uint)s.Arg0, s.Arg1, s.Arg2, (long)s.Arg3);
            case Sys.readv: return Vector(s, p, (uint)s.Arg0, s.Arg1, s.Arg2, write: false);
            case Sys.writev: return Vector(s, p, (uint)s.Arg0, s.Arg1, s.Arg2, write: true);
            case Sys.openat: return OpenAt(s, p, (int)s.Arg0, s.Arg1, (int)s.Arg2, (uint)s.Arg3);
            case Sys.close: return Close(p, (uint)s.Arg0);
            case Sys.lseek: return Seek(p, (uint)s.Arg0, (long)s.Arg1, (uint)s.Arg2);
            case Sys.newfstatat: return StatAt(s, p, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3);
            case Sys.fstat: return FileStat(s, p, (uint)s.Arg0, s.Arg1);
            case Sys.getdents64: return GetDents(s, p, (uint)s.Arg0, s.Arg1, (uint)s.Arg2);
            case Sys.readlinkat: return ReadLinkAt(s, p, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3);
            case Sys.unlinkat: return UnlinkAt(s, p, (int)s.Arg0, s.Arg1, (int)s.Arg2);
            case Sys.mkdirat: return MakeDirectoryAt(s, p, (int)s.Arg0, s.Arg1, (uint)s.Arg2);
            case Sys.faccessat: return AccessAt(s, p, (int)s.Arg0, s.Arg1, (int)s.Arg2, 0);
            case Sys.faccessat2: return AccessAt(s, p, (int)s.Arg0, s.Arg1, (int)s.Arg2, (int)s.Arg3);
            case Sys.getcwd: return GetCwd(s, p, s.Arg0, s.Arg1);
            case FileSys.dup: return Dup(p, (uint)s.Arg0);
            case FileSys.dup3: return Dup3(p, (uint)s.Arg0, (uint)s.Arg1, (int)s.Arg2);
            case FileSys.fcntl: return Fcntl(p, (uint)s.Arg0, (int)s.Arg1, s.Arg2);
            case FileSys.pipe2: return Pipe2(s, p, s.Arg0, (int)s.Arg1);
            case FileSys.ppoll: return Ppoll(s, p, s.Arg0, s.Arg1, s.Arg2);
            case FileSys.chdir: return ChangeDirectory(s, p, s.Arg0);
            case FileSys.fchdir: return ChangeDirectoryTo(p, (uint)s.Arg0);
            case FileSys.truncate: return TruncatePath(s, p, s.Arg0, (long)s.Arg1);
            case FileSys.ftruncate: return TruncateFile(p, (uint)s.Arg0, (long)s.Arg1);
            case FileSys.symlinkat: return SymlinkAt(s, p, s.Arg0, (int)s.Arg1, s.Arg2);
            case FileSys.renameat: return RenameAt(s, p, (int)s.Arg0, s.Arg1, (int)s.Arg2, s.Arg3, 0);
            case FileSys.renameat2: return RenameAt(s, p, (int)s.Arg0, s.Arg1, (int)s.Arg2, s.Arg3, (uint)s.Arg4);
            case Sys.ioctl: return Ioctl(s, p, (uint)s.Arg0, (uint)s.Arg1, s.Arg2);
            case Sys.brk: return Brk(s, p, s.Arg0);
            case Sys.mmap: return Mmap(s, p, s.Arg0, s.Arg1, (int)s.Arg2, (int)s.Arg3, (int)s.Arg4, s.Arg5);
            case Sys.munmap: return Munmap(s, s.Arg0, s.Arg1);
            case Sys.mremap: return Mremap(s, p, s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3);
            case Sys.mprotect: return Mprotect(s, s.Arg0, s.Arg1, (int)s.Arg2);
            case Sys.madvise: return Madvise(s, s.Arg0, s.Arg1, (int)s.Arg2);
            case Sys.exit: return ExitThread(t, (int)s.Arg0);
            case Sys.exit_group: return ExitGroup(p, (int)s.Arg0);
            case Sys.set_tid_address: t.ClearChildTid = s.Arg0; return s.Id;
            case Sys.set_robust_list: return SetRobustList(p, s.Arg0, s.Arg1);
            case Sys.prlimit64: return Prlimit(s, p, (int)s.Arg0, (uint)s.Arg1, s.Arg2, s.Arg3);
            case Sys.getrlimit: return Prlimit(s, p, 0, (uint)s.Arg0, 0, s.Arg1);
            case Sys.getrandom: return GetRandom(s, s.Arg0, s.Arg1, (uint)s.Arg2);
            case Sys.uname: return Uname(s, s.Arg0);
            case Sys.clock_gettime: return ClockGetTime(s, p, (int)s.Arg0, s.Arg1);
            case Sys.clock_getres: return ClockGetRes(s, (int)s.Arg0, s.Arg1);
            case Sys.gettimeofday: return GetTimeOfDay(s, s.Arg0, s.Arg1);
            case Sys.rt_sigaction: return SigAction(s, p, (int)s.Arg0, s.Arg1, s.Arg2, s.Arg3);
            case Sys.rt_sigprocmask: return SigProcMask(s, t, (int)s.Arg0, s.Arg1, s.Arg2, s.Arg3);
            case Sys.rt_sigreturn: return SigReturn(s, t);
            case Sys.rt_sigpending: return SigPending(s, t, s.Arg0, s.Arg1);
            case Sys.rt_sigsuspend: return SigSuspend(s, t, s.Arg0, s.Arg1);
            case Sys.sigaltstack: return SigAltStack(s, t, s.Arg0, s.Arg1);
            case Sys.kill: return Kill(p, (int)s.Arg0, (int)s.Arg1);
            case Sys.tkill: return ThreadKill(p, -1, (int)s.Arg0, (int)s.Arg1);
            case Sys.tgkill: return ThreadKill(p, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2);
            case Sys.clone: return Clone(s, t, s.Arg0, s.Arg1, s.Arg2, s.Arg3, s.Arg4);
            case Sys.execve: return Execve(s, t, s.Arg0, s.Arg1, s.Arg2);
            case Sys.wait4: return Wait4(s, t, (int)s.Arg0, s.Arg1, (int)s.Arg2, s.Arg3);
            case Sys.waitid: return WaitId(s, t, (int)s.Arg0, (int)s.Arg1, s.Arg2, (int)s.Arg3, s.Arg4);
            case Sys.setpgid: return SetProcessGroup(p, (int)s.Arg0, (int)s.Arg1);
            case Sys.getpgid: return GetProcessGroup(p, (int)s.Arg0);
            case Sys.setsid: return SetSession(p);
            case Sys.getsid: return GetSession(p, (int)s.Arg0);
            case Sys.futex: return Futex(s, t, s.Arg0, (int)s.Arg1, (uint)s.Arg2, s.Arg3, s.Arg4, (uint)s.Arg5);
            case Sys.nanosleep: return NanoSleep(s, t, 1, 0, s.Arg0, s.Arg1);
            case Sys.clock_nanosleep: return NanoSleep(s, t, (int)s.Arg0, (int)s.Arg1, s.Arg2, s.Arg3);
            case Sys.sched_yield: s.Yield(); return 0;
            case Sys.sched_getaffinity: return GetAffinity(s, p, (int)s.Arg0, s.Arg1, s.Arg2);
            case Sys.riscv_flush_icache: return FlushIcache(s, s.Arg2);
            default: return -Errno.ENOSYS;
        }
    }
}
