using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// The Linux system calls as one table, gVisor style: one row per call the personality knows, with its
// number and name (from Abi/Sys.cs, by nameof), how far it is implemented, the argument shapes the
// tracer prints, and the body that runs it. Dispatch indexes SyscallBodies (built from the rows once, at
// type initialization) with the call number: one bounds check, one load, one delegate call. A number with no
// row, or a row with no body, answers -ENOSYS. docs/SYSCALLS.md is this table written out
// (SyscallTableTests checks that it matches).
// Limitations: the rows are the calls the personality implements and the ones glibc and the userland are
// known to try; the rest of Linux's numbers have no row (they answer -ENOSYS too, and trace as syscall_N).

/// <summary>How far the personality implements a call.</summary>
internal enum SyscallStatus
{
    /// <summary>As Linux does it, for every argument the personality accepts.</summary>
    Implemented,

    /// <summary>Runs, with the limits the row's note names.</summary>
    Partial,

    /// <summary>Known, not implemented: answers -ENOSYS (the note says why).</summary>
    Unimplemented,
}

/// <summary>A call's body: runs the call <paramref name="s"/> made as thread <paramref name="t"/>; returns the result register value.</summary>
internal delegate long SyscallBody(LinuxPersonality linux, IUserStrand s, LinuxThread t);

/// <summary>One row of the system-call table.</summary>
internal sealed class SyscallEntry(int number, string name, string args, bool hexResult, SyscallStatus status, string note, SyscallBody? body)
{
    /// <summary>The call number (a7).</summary>
    public int Number { get; } = number;

    /// <summary>The call's name as strace prints it.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// One letter per argument, for the tracer: d int, l long, u unsigned, x pointer, f fd, D dirfd, s path,
    /// w buffer written (length in the next argument), r buffer read (length is the result), o open flags,
    /// m octal mode, p PROT_*, M MAP_*, c clock id, a AT_* flags, i ioctl request.
    /// </summary>
    public string Args { get; } = args;

    /// <summary>The tracer prints the result in hex (an address).</summary>
    public bool HexResult { get; } = hexResult;

    /// <summary>How far it is implemented.</summary>
    public SyscallStatus Status { get; } = status;

    /// <summary>The limits of a partial call, or why an unimplemented one answers -ENOSYS; empty otherwise.</summary>
    public string Note { get; } = note;

    /// <summary>The body; null for an unimplemented call.</summary>
    public SyscallBody? Body { get; } = body;
}

public sealed partial class LinuxPersonality
{
    /// <summary>Every call the personality knows, in number order.</summary>
    internal static readonly SyscallEntry[] SyscallTable =
    [
        Does(Sys.getcwd, nameof(Sys.getcwd), "xu", (k, s, t) => k.GetCwd(s, t.Process, s.Arg0, s.Arg1)),
        Does(Sys.epoll_create1, nameof(Sys.epoll_create1), "d", (k, s, t) => EpollCreate(t.Process, (int)s.Arg0)),
        Partly(Sys.epoll_ctl, nameof(Sys.epoll_ctl), "fdfx", "EPOLLET is level-triggered; epoll instances cannot be nested",
            (k, s, t) => EpollControl(s, t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2, s.Arg3)),
        Partly(Sys.epoll_pwait, nameof(Sys.epoll_pwait), "fxddxu", "the signal mask is not applied; events come in descriptor order",
            (k, s, t) => k.EpollWait(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, (int)s.Arg3)),
        Does(Sys.dup, nameof(Sys.dup), "f", (k, s, t) => Dup(t.Process, (uint)s.Arg0)),
        Does(Sys.dup3, nameof(Sys.dup3), "ffd", (k, s, t) => Dup3(t.Process, (uint)s.Arg0, (uint)s.Arg1, (int)s.Arg2)),
        Partly(Sys.fcntl, nameof(Sys.fcntl), "fdx", "F_DUPFD(_CLOEXEC), F_GETFD, F_SETFD, F_GETFL, F_SETFL and the record locks (POSIX and OFD: between Spindle's processes, no EDEADLK); other commands answer EINVAL",
            (k, s, t) => k.Fcntl(s, t.Process, (uint)s.Arg0, (int)s.Arg1, s.Arg2)),
        Partly(Sys.ioctl, nameof(Sys.ioctl), "fix", "the terminal requests TCGETS and TIOCGWINSZ, and FIONREAD on sockets and pipes, only",
            (k, s, t) => Ioctl(s, t.Process, (uint)s.Arg0, (uint)s.Arg1, s.Arg2)),
        Partly(Sys.flock, nameof(Sys.flock), "fd", "advisory locks between Spindle's processes (not seen by host processes)",
            (k, s, t) => k.Flock(s, t.Process, (uint)s.Arg0, (int)s.Arg1)),
        Partly(Sys.mknodat, nameof(Sys.mknodat), "Dsmx", "FIFOs and regular files; device nodes and sockets answer EPERM (no CAP_MKNOD); opening a FIFO answers ENXIO (no named-pipe driver yet)",
            (k, s, t) => k.MakeNodeAt(s, t.Process, (int)s.Arg0, s.Arg1, (uint)s.Arg2)),
        Does(Sys.mkdirat, nameof(Sys.mkdirat), "Dsm", (k, s, t) => k.MakeDirectoryAt(s, t.Process, (int)s.Arg0, s.Arg1, (uint)s.Arg2)),
        Does(Sys.unlinkat, nameof(Sys.unlinkat), "Dsa", (k, s, t) => k.UnlinkAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2)),
        Does(Sys.symlinkat, nameof(Sys.symlinkat), "sDs", (k, s, t) => k.SymlinkAt(s, t.Process, s.Arg0, (int)s.Arg1, s.Arg2)),
        Does(Sys.linkat, nameof(Sys.linkat), "DsDsa",
            (k, s, t) => k.LinkAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, s.Arg3, (int)s.Arg4)),
        Partly(Sys.statfs, nameof(Sys.statfs), "sx", "f_fsid is 0 and f_flags only ST_VALID",
            (k, s, t) => k.StatFileSystemAt(s, t.Process, s.Arg0, s.Arg1)),
        Partly(Sys.fstatfs, nameof(Sys.fstatfs), "fx", "as statfs; a pipe or the console answers EINVAL",
            (k, s, t) => StatFileSystemOf(s, t.Process, (uint)s.Arg0, s.Arg1)),
        Does(Sys.truncate, nameof(Sys.truncate), "sl", (k, s, t) => k.TruncatePath(s, t.Process, s.Arg0, (long)s.Arg1)),
        Does(Sys.ftruncate, nameof(Sys.ftruncate), "fl", (k, s, t) => TruncateFile(t.Process, (uint)s.Arg0, (long)s.Arg1)),
        Partly(Sys.fallocate, nameof(Sys.fallocate), "fdll", "mode 0 everywhere; the host file system also does the other modes its host does; the memory file system answers EOPNOTSUPP to them",
            (k, s, t) => Allocate(t.Process, (uint)s.Arg0, (int)s.Arg1, (long)s.Arg2, (long)s.Arg3)),
        Does(Sys.faccessat, nameof(Sys.faccessat), "Dsd", (k, s, t) => k.AccessAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, 0)),
        Does(Sys.chdir, nameof(Sys.chdir), "s", (k, s, t) => k.ChangeDirectory(s, t.Process, s.Arg0)),
        Does(Sys.fchdir, nameof(Sys.fchdir), "f", (k, s, t) => ChangeDirectoryTo(t.Process, (uint)s.Arg0)),
        Partly(Sys.fchmod, nameof(Sys.fchmod), "fm", "a pipe or the console answers EPERM", (k, s, t) => ChangeModeOf(t.Process, (uint)s.Arg0, (uint)s.Arg1)),
        Does(Sys.fchmodat, nameof(Sys.fchmodat), "Dsm", (k, s, t) => k.ChangeModeAt(s, t.Process, (int)s.Arg0, s.Arg1, (uint)s.Arg2)),
        Does(Sys.fchownat, nameof(Sys.fchownat), "Dsdda", (k, s, t) => k.ChangeOwnerAt(s, t.Process, (int)s.Arg0, s.Arg1, (uint)s.Arg2, (uint)s.Arg3, (int)s.Arg4)),
        Partly(Sys.fchown, nameof(Sys.fchown), "fdd", "a pipe or the console answers EPERM", (k, s, t) => ChangeOwnerOf(t.Process, (uint)s.Arg0, (uint)s.Arg1, (uint)s.Arg2)),
        Does(Sys.openat, nameof(Sys.openat), "Dsom", (k, s, t) => k.OpenAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, (uint)s.Arg3)),
        Does(Sys.close, nameof(Sys.close), "f", (k, s, t) => Close(t.Process, (uint)s.Arg0)),
        Does(Sys.pipe2, nameof(Sys.pipe2), "xd", (k, s, t) => k.Pipe2(s, t.Process, s.Arg0, (int)s.Arg1)),
        Does(Sys.getdents64, nameof(Sys.getdents64), "fxu", (k, s, t) => k.GetDents(s, t.Process, (uint)s.Arg0, s.Arg1, (uint)s.Arg2)),
        Does(Sys.lseek, nameof(Sys.lseek), "fld", (k, s, t) => Seek(t.Process, (uint)s.Arg0, (long)s.Arg1, (uint)s.Arg2)),
        Does(Sys.read, nameof(Sys.read), "fru", (k, s, t) => k.Read(s, t.Process, (uint)s.Arg0, s.Arg1, s.Arg2, -1)),
        Does(Sys.write, nameof(Sys.write), "fwu", (k, s, t) => k.Write(s, t.Process, (uint)s.Arg0, s.Arg1, s.Arg2, -1)),
        Does(Sys.readv, nameof(Sys.readv), "fxd", (k, s, t) => k.Vector(s, t.Process, (uint)s.Arg0, s.Arg1, s.Arg2, write: false)),
        Does(Sys.writev, nameof(Sys.writev), "fxd", (k, s, t) => k.Vector(s, t.Process, (uint)s.Arg0, s.Arg1, s.Arg2, write: true)),
        Does(Sys.pread64, nameof(Sys.pread64), "frul",
            (k, s, t) => (long)s.Arg3 < 0 ? -Errno.EINVAL : k.Read(s, t.Process, (uint)s.Arg0, s.Arg1, s.Arg2, (long)s.Arg3)),
        Does(Sys.pwrite64, nameof(Sys.pwrite64), "fwul",
            (k, s, t) => (long)s.Arg3 < 0 ? -Errno.EINVAL : k.Write(s, t.Process, (uint)s.Arg0, s.Arg1, s.Arg2, (long)s.Arg3)),
        Partly(Sys.pselect6, nameof(Sys.pselect6), "dxxxxx", "the signal mask is not applied; the time left is not written back",
            (k, s, t) => k.Pselect(s, t.Process, (long)s.Arg0, s.Arg1, s.Arg2, s.Arg3, s.Arg4)),
        Partly(Sys.ppoll, nameof(Sys.ppoll), "xuxxu", "the signal mask is not applied", (k, s, t) => k.Ppoll(s, t.Process, s.Arg0, s.Arg1, s.Arg2)),
        Does(Sys.readlinkat, nameof(Sys.readlinkat), "Dsxu", (k, s, t) => k.ReadLinkAt(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3)),
        Does(Sys.newfstatat, nameof(Sys.newfstatat), "Dsxa", (k, s, t) => k.StatAt(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3)),
        Does(Sys.fstat, nameof(Sys.fstat), "fx", (k, s, t) => FileStat(s, t.Process, (uint)s.Arg0, s.Arg1)),
        Does(Sys.sync, nameof(Sys.sync), "", (k, s, t) => k.SyncAll()),
        Does(Sys.fsync, nameof(Sys.fsync), "f", (k, s, t) => SyncFile(t.Process, (uint)s.Arg0)),
        Partly(Sys.fdatasync, nameof(Sys.fdatasync), "f", "as fsync (metadata is written too)", (k, s, t) => SyncFile(t.Process, (uint)s.Arg0)),
        Does(Sys.utimensat, nameof(Sys.utimensat), "Dsxa", (k, s, t) => k.SetTimesAt(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3)),
        Does(Sys.exit, nameof(Sys.exit), "d", (k, s, t) => k.ExitThread(t, (int)s.Arg0)),
        Does(Sys.exit_group, nameof(Sys.exit_group), "d", (k, s, t) => ExitGroup(t.Process, (int)s.Arg0)),
        Does(Sys.waitid, nameof(Sys.waitid), "ddxdx", (k, s, t) => k.WaitId(s, t, (int)s.Arg0, (int)s.Arg1, s.Arg2, (int)s.Arg3, s.Arg4)),
        Does(Sys.set_tid_address, nameof(Sys.set_tid_address), "x", (k, s, t) => SetTidAddress(s, t)),
        Partly(Sys.futex, nameof(Sys.futex), "xddxxd", "WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE, CMP_REQUEUE; no PI or WAKE_OP",
            (k, s, t) => k.Futex(s, t, s.Arg0, (int)s.Arg1, (uint)s.Arg2, s.Arg3, s.Arg4, (uint)s.Arg5)),
        Partly(Sys.set_robust_list, nameof(Sys.set_robust_list), "xu", "recorded; the list is not walked when a thread dies",
            (k, s, t) => SetRobustList(t.Process, s.Arg0, s.Arg1)),
        Does(Sys.nanosleep, nameof(Sys.nanosleep), "xx", (k, s, t) => k.NanoSleep(s, t, 1, 0, s.Arg0, s.Arg1)),
        Partly(Sys.clock_gettime, nameof(Sys.clock_gettime), "cx", "the CPU-time clocks count time since the process started",
            (k, s, t) => k.ClockGetTime(s, t.Process, (int)s.Arg0, s.Arg1)),
        Does(Sys.clock_getres, nameof(Sys.clock_getres), "cx", (k, s, t) => k.ClockGetRes(s, (int)s.Arg0, s.Arg1)),
        Does(Sys.clock_nanosleep, nameof(Sys.clock_nanosleep), "cdxx", (k, s, t) => k.NanoSleep(s, t, (int)s.Arg0, (int)s.Arg1, s.Arg2, s.Arg3)),
        Partly(Sys.sched_getaffinity, nameof(Sys.sched_getaffinity), "dux", "one CPU",
            (k, s, t) => GetAffinity(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2)),
        Does(Sys.sched_yield, nameof(Sys.sched_yield), "", (k, s, t) => SchedYield(s)),
        Does(Sys.kill, nameof(Sys.kill), "dd", (k, s, t) => k.Kill(t.Process, (int)s.Arg0, (int)s.Arg1)),
        Does(Sys.tkill, nameof(Sys.tkill), "dd", (k, s, t) => k.ThreadKill(t.Process, -1, (int)s.Arg0, (int)s.Arg1)),
        Does(Sys.tgkill, nameof(Sys.tgkill), "ddd", (k, s, t) => k.ThreadKill(t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2)),
        Does(Sys.sigaltstack, nameof(Sys.sigaltstack), "xx", (k, s, t) => SigAltStack(s, t, s.Arg0, s.Arg1)),
        Does(Sys.rt_sigsuspend, nameof(Sys.rt_sigsuspend), "xu", (k, s, t) => k.SigSuspend(s, t, s.Arg0, s.Arg1)),
        Does(Sys.rt_sigaction, nameof(Sys.rt_sigaction), "dxxu", (k, s, t) => k.SigAction(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, s.Arg3)),
        Does(Sys.rt_sigprocmask, nameof(Sys.rt_sigprocmask), "dxxu", (k, s, t) => SigProcMask(s, t, (int)s.Arg0, s.Arg1, s.Arg2, s.Arg3)),
        Does(Sys.rt_sigpending, nameof(Sys.rt_sigpending), "xu", (k, s, t) => SigPending(s, t, s.Arg0, s.Arg1)),
        Does(Sys.rt_sigreturn, nameof(Sys.rt_sigreturn), "", (k, s, t) => k.SigReturn(s, t)),
        Partly(Sys.setpriority, nameof(Sys.setpriority), "ddd", "the nice value is recorded and reported; the scheduler does not weigh it",
            (k, s, t) => k.SetPriority(t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2)),
        Does(Sys.getpriority, nameof(Sys.getpriority), "dd", (k, s, t) => k.GetPriority(t.Process, (int)s.Arg0, (int)s.Arg1)),
        Does(Sys.setpgid, nameof(Sys.setpgid), "dd", (k, s, t) => k.SetProcessGroup(t.Process, (int)s.Arg0, (int)s.Arg1)),
        Does(Sys.getpgid, nameof(Sys.getpgid), "d", (k, s, t) => k.GetProcessGroup(t.Process, (int)s.Arg0)),
        Does(Sys.getsid, nameof(Sys.getsid), "d", (k, s, t) => k.GetSession(t.Process, (int)s.Arg0)),
        Does(Sys.setsid, nameof(Sys.setsid), "", (k, s, t) => k.SetSession(t.Process)),
        Partly(Sys.getgroups, nameof(Sys.getgroups), "dx", "the first process starts with no supplementary groups (not the host's)",
            (k, s, t) => GetGroups(s, t.Process, (int)s.Arg0, s.Arg1)),
        Does(Sys.setgroups, nameof(Sys.setgroups), "dx", (k, s, t) => SetGroups(s, t.Process, (int)s.Arg0, s.Arg1)),
        Does(Sys.uname, nameof(Sys.uname), "x", (k, s, t) => Uname(s, s.Arg0)),
        Partly(Sys.getrlimit, nameof(Sys.getrlimit), "dx", "limits are recorded; only RLIMIT_NOFILE is enforced",
            (k, s, t) => Prlimit(s, t.Process, 0, (uint)s.Arg0, 0, s.Arg1)),
        Partly(Sys.getrusage, nameof(Sys.getrusage), "dx", "user time is the time since the process started; system time, RUSAGE_CHILDREN and the counters are 0 (no accounting)",
            (k, s, t) => k.GetResourceUsage(s, t.Process, (int)s.Arg0, s.Arg1)),
        Partly(Sys.umask, nameof(Sys.umask), "m", "the first process starts with 022, not the host's umask", (k, s, t) => Umask(t.Process, (uint)s.Arg0)),
        Partly(Sys.prctl, nameof(Sys.prctl), "dxxxx", "PR_SET_NAME, PR_GET_NAME, PR_GET/SET_DUMPABLE, PR_GET/SET_NO_NEW_PRIVS; other options answer EINVAL",
            (k, s, t) => Prctl(s, t, (int)s.Arg0, s.Arg1, s.Arg2, s.Arg3, s.Arg4)),
        Does(Sys.gettimeofday, nameof(Sys.gettimeofday), "xx", (k, s, t) => k.GetTimeOfDay(s, s.Arg0, s.Arg1)),
        Does(Sys.getpid, nameof(Sys.getpid), "", (k, s, t) => t.Process.Identity.Pid),
        Does(Sys.getppid, nameof(Sys.getppid), "", (k, s, t) => t.Process.ParentPid),
        Does(Sys.getuid, nameof(Sys.getuid), "", (k, s, t) => t.Process.Identity.Uid),
        Does(Sys.geteuid, nameof(Sys.geteuid), "", (k, s, t) => t.Process.Identity.Uid),
        Does(Sys.getgid, nameof(Sys.getgid), "", (k, s, t) => t.Process.Identity.Gid),
        Does(Sys.getegid, nameof(Sys.getegid), "", (k, s, t) => t.Process.Identity.Gid),
        Does(Sys.gettid, nameof(Sys.gettid), "", (k, s, t) => s.Id),
        Partly(Sys.sysinfo, nameof(Sys.sysinfo), "x", "uptime, loads, processes, total and free memory (the machine's frames); shared, buffer and swap figures are 0",
            (k, s, t) => k.SystemInformation(s, s.Arg0)),
        Partly(Sys.socket, nameof(Sys.socket), "ddd", "AF_UNIX stream and datagram; AF_INET stream (TCP) and datagram (UDP) when the network stack is loaded, else EAFNOSUPPORT; no SOCK_SEQPACKET, AF_INET6, ICMP or raw sockets",
            (k, s, t) => k.SocketCall(t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2)),
        Does(Sys.socketpair, nameof(Sys.socketpair), "dddx", (k, s, t) => k.SocketPair(s, t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2, s.Arg3)),
        Partly(Sys.bind, nameof(Sys.bind), "fxd", "a unix path name is kept by the personality, not made a node of the file system",
            (k, s, t) => k.BindCall(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2)),
        Does(Sys.listen, nameof(Sys.listen), "fd", (k, s, t) => ListenCall(t.Process, (int)s.Arg0, (int)s.Arg1)),
        Does(Sys.accept, nameof(Sys.accept), "fxx", (k, s, t) => k.AcceptCall(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, 0)),
        Does(Sys.connect, nameof(Sys.connect), "fxd", (k, s, t) => k.ConnectCall(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2)),
        Does(Sys.getsockname, nameof(Sys.getsockname), "fxx", (k, s, t) => k.NameCall(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, peer: false)),
        Does(Sys.getpeername, nameof(Sys.getpeername), "fxx", (k, s, t) => k.NameCall(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, peer: true)),
        Partly(Sys.sendto, nameof(Sys.sendto), "fwudxd", "at most 64 KiB per call (a longer datagram answers EMSGSIZE)",
            (k, s, t) => k.SendToCall(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3, s.Arg4, (int)s.Arg5)),
        Does(Sys.recvfrom, nameof(Sys.recvfrom), "fxudxx", (k, s, t) => k.RecvFromCall(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3, s.Arg4, s.Arg5)),
        Partly(Sys.setsockopt, nameof(Sys.setsockopt), "fddxd", "SOL_SOCKET options and TCP_NODELAY; SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER and the buffer sizes reach TCP sockets only (recorded for others)",
            (k, s, t) => SetOptionCall(s, t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2, s.Arg3, (int)s.Arg4)),
        Does(Sys.getsockopt, nameof(Sys.getsockopt), "fddxx", (k, s, t) => GetOptionCall(s, t.Process, (int)s.Arg0, (int)s.Arg1, (int)s.Arg2, s.Arg3, s.Arg4)),
        Does(Sys.shutdown, nameof(Sys.shutdown), "fd", (k, s, t) => ShutdownCall(t.Process, (int)s.Arg0, (int)s.Arg1)),
        Partly(Sys.sendmsg, nameof(Sys.sendmsg), "fxd", "no ancillary data (control data answers EOPNOTSUPP); at most 64 KiB per call",
            (k, s, t) => k.SendMsgCall(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2)),
        Partly(Sys.recvmsg, nameof(Sys.recvmsg), "fxd", "no ancillary data is returned", (k, s, t) => k.RecvMsgCall(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2)),
        Does(Sys.brk, nameof(Sys.brk), "x", (k, s, t) => Brk(s, t.Process, s.Arg0), hexResult: true),
        Does(Sys.munmap, nameof(Sys.munmap), "xu", (k, s, t) => Munmap(s, s.Arg0, s.Arg1)),
        Does(Sys.mremap, nameof(Sys.mremap), "xuud", (k, s, t) => k.Mremap(s, t.Process, s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3), hexResult: true),
        Partly(Sys.clone, nameof(Sys.clone), "xxxxx", "processes and threads as glibc makes them; other flags (namespaces) answer EINVAL",
            (k, s, t) => k.Clone(s, t, s.Arg0, s.Arg1, s.Arg2, s.Arg3, s.Arg4)),
        Does(Sys.execve, nameof(Sys.execve), "sxx", (k, s, t) => k.Execve(s, t, s.Arg0, s.Arg1, s.Arg2)),
        Partly(Sys.mmap, nameof(Sys.mmap), "xupMfx", "anonymous (shared ones as private) and private file mappings; MAP_SHARED of a file answers ENODEV (no page cache)",
            (k, s, t) => k.Mmap(s, t.Process, s.Arg0, s.Arg1, (int)s.Arg2, (int)s.Arg3, (int)s.Arg4, s.Arg5), hexResult: true),
        Does(Sys.mprotect, nameof(Sys.mprotect), "xup", (k, s, t) => Mprotect(s, s.Arg0, s.Arg1, (int)s.Arg2)),
        Partly(Sys.madvise, nameof(Sys.madvise), "xud", "MADV_DONTNEED and MADV_FREE discard; NORMAL, RANDOM, SEQUENTIAL, WILLNEED are accepted; other advice answers EINVAL",
            (k, s, t) => Madvise(s, s.Arg0, s.Arg1, (int)s.Arg2)),
        Does(Sys.accept4, nameof(Sys.accept4), "fxxd", (k, s, t) => k.AcceptCall(s, t.Process, (int)s.Arg0, s.Arg1, s.Arg2, (int)s.Arg3)),
        Does(Sys.riscv_flush_icache, nameof(Sys.riscv_flush_icache), "xxx", (k, s, t) => FlushIcache(s, s.Arg2)),
        Does(Sys.wait4, nameof(Sys.wait4), "dxdx", (k, s, t) => k.Wait4(s, t, (int)s.Arg0, s.Arg1, (int)s.Arg2, s.Arg3)),
        Partly(Sys.prlimit64, nameof(Sys.prlimit64), "ddxx", "limits are recorded; only RLIMIT_NOFILE is enforced",
            (k, s, t) => Prlimit(s, t.Process, (int)s.Arg0, (uint)s.Arg1, s.Arg2, s.Arg3)),
        Does(Sys.syncfs, nameof(Sys.syncfs), "f", (k, s, t) => SyncFileSystemOf(t.Process, (uint)s.Arg0)),
        Does(Sys.renameat2, nameof(Sys.renameat2), "DsDsd", (k, s, t) => k.RenameAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, s.Arg3, (uint)s.Arg4)),
        Does(Sys.getrandom, nameof(Sys.getrandom), "xud", (k, s, t) => k.GetRandom(s, s.Arg0, s.Arg1, (uint)s.Arg2)),
        Partly(Sys.statx, nameof(Sys.statx), "Dsaux", "the basic fields (STATX_BASIC_STATS) whatever the mask asks; no birth time or mount id",
            (k, s, t) => k.StatxAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, (uint)s.Arg3, s.Arg4)),
        Lacks(Sys.rseq, nameof(Sys.rseq), "xudd", "restartable sequences are optional to glibc"),
        Lacks(Sys.clone3, nameof(Sys.clone3), "xu", "glibc falls back to clone"),
        Does(Sys.faccessat2, nameof(Sys.faccessat2), "Dsda", (k, s, t) => k.AccessAt(s, t.Process, (int)s.Arg0, s.Arg1, (int)s.Arg2, (int)s.Arg3)),
        Lacks(Sys.epoll_pwait2, nameof(Sys.epoll_pwait2), "fxdxxu", "glibc falls back to epoll_pwait"),
    ];

    /// <summary>The table by number: SyscallsByNumber[n] is call n's row, or null. Built once.</summary>
    internal static readonly SyscallEntry?[] SyscallsByNumber = IndexByNumber(SyscallTable);

    /// <summary>What Dispatch indexes: SyscallBodies[n] is call n's body, or null (-ENOSYS).</summary>
    internal static readonly SyscallBody?[] SyscallBodies = BodiesOf(SyscallsByNumber);

    /// <summary>The row of call <paramref name="number"/>, or null if the personality does not know it.</summary>
    internal static SyscallEntry? FindSyscall(ulong number) =>
        number < (ulong)SyscallsByNumber.Length ? SyscallsByNumber[(int)number] : null;

    private static SyscallBody?[] BodiesOf(SyscallEntry?[] byNumber)
    {
        var bodies = new SyscallBody?[byNumber.Length];
        for (int n = 0; n < byNumber.Length; n++) bodies[n] = byNumber[n]?.Body;
        return bodies;
    }

    private static SyscallEntry Does(int number, string name, string args, SyscallBody body, bool hexResult = false) =>
        new(number, name, args, hexResult, SyscallStatus.Implemented, "", body);

    private static SyscallEntry Partly(int number, string name, string args, string limits, SyscallBody body, bool hexResult = false) =>
        new(number, name, args, hexResult, SyscallStatus.Partial, limits, body);

    private static SyscallEntry Lacks(int number, string name, string args, string reason) =>
        new(number, name, args, false, SyscallStatus.Unimplemented, reason, null);

    // One slot per number up to the largest; a number given twice is a mistake in the table.
    private static SyscallEntry?[] IndexByNumber(SyscallEntry[] table)
    {
        int size = 0;
        foreach (var e in table) size = Math.Max(size, e.Number + 1);
        var byNumber = new SyscallEntry?[size];
        foreach (var e in table)
        {
            if (byNumber[e.Number] is { } other)
                throw new InvalidOperationException($"system call {e.Number} is in the table twice: {other.Name} and {e.Name}");
            byNumber[e.Number] = e;
        }
        return byNumber;
    }

    // set_tid_address: the word to clear (and wake) when the thread exits; returns the tid.
    private static long SetTidAddress(IUserStrand s, LinuxThread t)
    {
        t.ClearChildTid = s.Arg0;
        return s.Id;
    }

    private static long SchedYield(IUserStrand s)
    {
        s.Yield();
        return 0;
    }
}
