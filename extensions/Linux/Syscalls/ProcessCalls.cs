using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Extensions.Linux.Signals;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Translation;

namespace Spindle.Extensions.Linux;

// Process lifetime: clone (fork, vfork, threads), execve, exit, exit_group, wait4, waitid, process groups and sessions.
public sealed partial class LinuxPersonality
{
    private const ulong CloneSupported = LinuxAbi.CSIGNAL | LinuxAbi.CLONE_VM | LinuxAbi.CLONE_FS | LinuxAbi.CLONE_FILES
        | LinuxAbi.CLONE_SIGHAND | LinuxAbi.CLONE_VFORK | LinuxAbi.CLONE_THREAD | LinuxAbi.CLONE_SYSVSEM | LinuxAbi.CLONE_SETTLS
        | LinuxAbi.CLONE_PARENT_SETTID | LinuxAbi.CLONE_CHILD_CLEARTID | LinuxAbi.CLONE_DETACHED | LinuxAbi.CLONE_CHILD_SETTID;

    private const int MaxExecStrings = 4096;

    // clone(flags, newsp, ptid, tls, ctid): a new process (fork, vfork) or a thread of this one.
    // A CLONE_VFORK parent blocks (restarting the call) until the child execs or exits, then returns its pid.
    private long Clone(IUserStrand s, LinuxThread t, ulong flags, ulong newSp, ulong ptid, ulong tls, ulong ctid)
    {
        if (t.Call == BlockedCall.Vfork) return VforkWait(s, t);
        if ((flags & ~CloneSupported) != 0) return -Errno.EINVAL;
        bool thread = (flags & LinuxAbi.CLONE_THREAD) != 0, shareVm = (flags & LinuxAbi.CLONE_VM) != 0;
        if (thread && (flags & LinuxAbi.CLONE_SIGHAND) == 0) return -Errno.EINVAL;
        if ((flags & LinuxAbi.CLONE_SIGHAND) != 0 && !shareVm) return -Errno.EINVAL;
        if (thread && (flags & LinuxAbi.CLONE_VFORK) != 0) return -Errno.EINVAL;
        if (_strands == null) return -Errno.ENOSYS;
        LinuxProcess parent = t.Process;
        if (parent.Exiting) return -Errno.EAGAIN;

        IUserStrand? strand = s.Clone(shareVm);
        if (strand == null) return -Errno.ENOMEM;
        if (newSp != 0) strand.SetRegister(2, newSp);
        if ((flags & LinuxAbi.CLONE_SETTLS) != 0) strand.SetRegister(4, tls);
        LinuxThread child;
        if (thread)
        {
            child = new LinuxThread(parent, strand);
            parent.Threads.Add(child);
            _processes.AddThread(child);
            Threads.Set(strand, child);
        }
        else
        {
            var process = parent.Fork(strand.Id, shareVm);
            process.ExitSignal = (int)(flags & LinuxAbi.CSIGNAL);
            process.CreatedNanoseconds = _clock.MonotonicNanoseconds;
            _processes.Add(process);
            child = AdoptStrand(strand, process);
        }
        child.Blocked = t.Blocked;
        child.AltStackBase = t.AltStackBase;
        child.Name = t.Name;
        child.AltStackSize = t.AltStackSize;
        child.AltStackFlags = t.AltStackFlags;
        Span<byte> tid = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(tid, strand.Id);
        if ((flags & LinuxAbi.CLONE_PARENT_SETTID) != 0) s.Memory.CopyOut(ptid, tid);
        if ((flags & LinuxAbi.CLONE_CHILD_SETTID) != 0) strand.Memory.CopyOut(ctid, tid);
        if ((flags & LinuxAbi.CLONE_CHILD_CLEARTID) != 0) child.ClearChildTid = ctid;
        if ((flags & LinuxAbi.CLONE_VFORK) != 0)
        {
            t.VforkChild = child.Process;
            t.Call = BlockedCall.Vfork;
            return VforkWait(s, t);
        }
        return strand.Id;
    }

    // The vfork parent's (restarted) wait: done once the child has exec'd or exited.
    private long VforkWait(IUserStrand s, LinuxThread t)
    {
        var child = t.VforkChild!;
        if (child.Execed || child.Exiting)
        {
            t.Call = BlockedCall.None;
            t.VforkChild = null;
            return child.Pid;
        }
        s.Block(t.Queue ??= _strands!.CreateWaitQueue($"thread {t.Tid}"));
        return 0;
    }

    // execve(path, argv, envp): replaces the program; on failure the old image keeps running.
    private long Execve(IUserStrand s, LinuxThread t, ulong pathVa, ulong argvVa, ulong envpVa)
    {
        LinuxProcess p = t.Process;
        int n = s.Memory.ReadCString(pathVa, _pathIn);
        if (n == -1) return -Errno.EFAULT;
        if (n < 0) return -Errno.ENAMETOOLONG;
        if (n == 0) return -Errno.ENOENT;
        string path = Encoding.UTF8.GetString(_pathIn, 0, n);
        int r = ReadStringVector(s, argvVa, out List<string>? argv);
        if (r < 0) return r;
        r = ReadStringVector(s, envpVa, out List<string>? envp);
        if (r < 0) return r;
        r = ReadExecutable(s, p, pathVa, out byte[]? elf);
        if (r < 0) return r;
        r = ReadInterpreter(s, p, elf!, out byte[]? interpreter);
        if (r < 0) return r;
        byte[] absolute = path[0] == '/' ? Encoding.UTF8.GetBytes(path) : [.. p.Cwd, (byte)'/', .. Encoding.UTF8.GetBytes(path)];
        r = s.Exec(elf, interpreter, path, argv!.ToArray(), envp!.ToArray(), out ExecImage image);
        if (r < 0) return r;

        foreach (var other in p.Threads.ToArray())
            if (other != t) other.Strand.Exit(0);   // de_thread: the other threads vanish silently
        p.ResetMemory(image.BrkStart, image.MapBase, image.MapLimit);
        p.Executable = absolute;
        p.Arguments = NulTerminated(argv!);
        p.Environment = NulTerminated(envp!);
        p.MemoryIdentity = new object();
        for (int sig = 1; sig <= LinuxAbi.NSIG; sig++)
            if (p.SignalActions[sig].Handler != LinuxAbi.SIG_IGN) p.SignalActions[sig] = default;
        t.AltStackBase = t.AltStackSize = 0;
        t.AltStackFlags = LinuxAbi.SS_DISABLE;
        t.ClearChildTid = 0;
        t.Name = null;
        p.Files.CloseOnExec();
        p.Execed = true;
        WakeVforkParent(p);
        return 0;
    }

    // The strings one after another, each followed by a NUL (the layout of /proc/PID/cmdline).
    private static byte[] NulTerminated(List<string> strings)
    {
        var bytes = new List<byte>();
        foreach (string s in strings) { bytes.AddRange(Encoding.UTF8.GetBytes(s)); bytes.Add(0); }
        return bytes.ToArray();
    }

    // The interpreter (PT_INTERP) a dynamically linked program names, read as execve reads a program (from the working
    // directory if relative, under the library prefix first if absolute): null for a static program; -ENOENT, -EACCES, ...
    // as open_exec, -ENOEXEC or -EIO for a malformed PT_INTERP.
    private int ReadInterpreter(IUserStrand s, LinuxProcess p, byte[] elf, out byte[]? interpreter)
    {
        interpreter = null;
        int r = s.InterpreterOf(elf, out string? path);
        if (r < 0 || path == null) return r;
        return ReadExecutable(p, Encoding.UTF8.GetBytes(path), out interpreter);
    }

    // Reads a NULL-terminated user array of string pointers (argv, envp); a null array is empty.
    private int ReadStringVector(IUserStrand s, ulong va, out List<string>? strings)
    {
        strings = new List<string>();
        if (va == 0) return 0;
        Span<byte> pointer = stackalloc byte[8];
        for (int i = 0; ; i++)
        {
            if (i == MaxExecStrings) return -Errno.E2BIG;
            if (!s.Memory.CopyIn(va + (ulong)i * 8, pointer)) return -Errno.EFAULT;
            ulong at = BinaryPrimitives.ReadUInt64LittleEndian(pointer);
            if (at == 0) return 0;
            int n = s.Memory.ReadCString(at, _scratch);
            if (n == -1) return -Errno.EFAULT;
            if (n < 0) return -Errno.E2BIG;
            strings.Add(Encoding.UTF8.GetString(_scratch, 0, n));
        }
    }

    // Reads the whole regular file named at pathVa (through the VFS, relative to the working directory);
    // -EACCES for anything but a regular file.
    private int ReadExecutable(IUserStrand s, LinuxProcess p, ulong pathVa, out byte[]? contents)
    {
        contents = null;
        int len = PathAt(s, p, LinuxAbi.AT_FDCWD, pathVa, _pathIn, out Files.Location? start);
        if (len < 0) return len;
        int r = Vfs.Open(start!, _pathIn.AsSpan(0, len), 0 /* O_RDONLY */, 0, out Files.FileDescription? file);
        if (r < 0) return r;
        try
        {
            r = file!.Stat(out FileStatus st);
            if (r < 0) return r;
            if ((st.Mode & 0xf000) != 0x8000) return -Errno.EACCES;
            if (st.Size > 1L << 30) return -Errno.ENOMEM;
            var bytes = new byte[st.Size];
            long done = 0;
            while (done < bytes.Length)
            {
                long got = file.Read(bytes.AsSpan((int)done));
                if (got < 0) return (int)got;
                if (got == 0) break;
                done += got;
            }
            contents = done == bytes.Length ? bytes : bytes[..(int)done];
            return 0;
        }
        finally { file!.Release(); }
    }

    // exit: ends the calling thread; the last thread's exit ends the process.
    private long ExitThread(LinuxThread t, int status)
    {
        if (t.Process.Threads.Count <= 1) return ExitGroup(t.Process, status);
        t.Strand.Exit(status & 0xff);
        return 0;
    }

    // exit_group: every thread ends; the process reports (status & 0xff) << 8.
    private static long ExitGroup(LinuxProcess p, int status)
    {
        if (!p.Exiting)
        {
            p.Exiting = true;
            p.WaitStatus = (status & 0xff) << 8;
        }
        foreach (var thread in p.Threads) thread.Strand.Exit(status & 0xff);
        return 0;
    }

    // A fatal signal: every thread is killed; the process reports the signal.
    private static void TerminateGroup(LinuxProcess p, int signal)
    {
        if (!p.Exiting)
        {
            p.Exiting = true;
            p.WaitStatus = signal & 0x7f;
        }
        foreach (var thread in p.Threads) thread.Strand.Kill(signal);
    }

    // Trap.Exited: a strand ended. Its thread goes away (clear-child-tid wake); the last one makes the process a zombie.
    internal bool OnStrandExited(IUserStrand s)
    {
        if (ThreadOf(s) is not { } t) return false;
        LinuxProcess p = t.Process;
        ForgetFutexWait(t);
        if (t.ClearChildTid != 0 && p.Threads.Count > 1)
        {
            Span<byte> zero = stackalloc byte[4];
            zero.Clear();
            if (s.Memory.CopyOut(t.ClearChildTid, zero)) FutexWake(new FutexKey(p.MemoryIdentity, t.ClearChildTid), 1, LinuxAbi.FUTEX_BITSET_MATCH_ANY);
        }
        p.Threads.Remove(t);
        _processes.RemoveThread(t);
        if (p.Threads.Count > 0) return true;
        if (!p.Exiting)
        {
            p.Exiting = true;
            p.WaitStatus = Termination.WaitStatusOf(s.End);
        }
        ProcessExited(p, s.Context);
        return true;
    }

    // The last thread is gone: descriptors close, the process ended is announced (strands that are not its threads,
    // such as an extension's package threads in `context`, end there), children go to init, the parent hears SIGCHLD
    // (or reaps at once).
    private void ProcessExited(LinuxProcess p, TranslationContext? context)
    {
        p.Files.Drop();
        p.Zombie = true;
        _lifecycle?.ProcessEnded.Raise(new ProcessEnd(p.Pid, context, p.ExitCode));
        WakeVforkParent(p);
        LinuxProcess? init = _processes.Find(1);
        foreach (var child in p.Children)
        {
            child.Parent = init != null && init != p ? init : null;
            if (child.Parent != null) { child.Parent.Children.Add(child); if (child.Zombie) NotifyParent(child); }
            else if (child.Zombie) _processes.Remove(child);
        }
        p.Children.Clear();
        if (p.Parent != null) NotifyParent(p);
    }

    // Tells p's parent that p is a zombie: SIGCHLD and a wake-up, or an immediate reap if it ignores SIGCHLD.
    private void NotifyParent(LinuxProcess p)
    {
        LinuxProcess parent = p.Parent!;
        var action = parent.SignalActions[LinuxAbi.SIGCHLD];
        if (action.Handler == LinuxAbi.SIG_IGN || (action.Flags & LinuxAbi.SA_NOCLDWAIT) != 0)
        {
            parent.Children.Remove(p);
            _processes.Remove(p);
        }
        else if (p.ExitSignal != 0)
        {
            bool killed = (p.WaitStatus & 0x7f) != 0;
            SendToProcess(parent, p.ExitSignal, new SignalInfo(killed ? LinuxAbi.CLD_KILLED : LinuxAbi.CLD_EXITED,
                p.Pid, p.Identity.Uid, killed ? p.WaitStatus & 0x7f : p.WaitStatus >> 8, 0));
        }
        parent.ChildQueue?.WakeAll();
    }

    // The vfork parent of p (if any) may go on.
    private void WakeVforkParent(LinuxProcess p)
    {
        if (p.Parent == null) return;
        foreach (var thread in p.Parent.Threads)
            if (thread.VforkChild == p) thread.Queue?.WakeAll();
    }

    // wait4(pid, status, options, rusage): reaps a zombie child matching pid, or reports a stop (WUNTRACED) or a
    // continue (WCONTINUED); blocks (restarting) unless WNOHANG.
    private long Wait4(IUserStrand s, LinuxThread t, int pid, ulong statusVa, int options, ulong rusageVa)
    {
        const int known = LinuxAbi.WNOHANG | LinuxAbi.WUNTRACED | LinuxAbi.WCONTINUED | LinuxAbi.__WNOTHREAD | LinuxAbi.__WALL | LinuxAbi.__WCLONE;
        if ((options & ~known) != 0 || pid == int.MinValue) return -Errno.EINVAL;
        LinuxProcess p = t.Process;
        LinuxProcess? child = FindWaitable(p, pid, options | LinuxAbi.WEXITED, out bool any, out ChildChange change);
        if (!any) return -Errno.ECHILD;
        if (child != null)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, Report(child, change).WaitStatus);
            if (statusVa != 0 && !s.Memory.CopyOut(statusVa, b)) return -Errno.EFAULT;
            if (rusageVa != 0 && ZeroUser(s, rusageVa, 144) < 0) return -Errno.EFAULT;
            Collect(p, child, change);
            return child.Pid;
        }
        if ((options & LinuxAbi.WNOHANG) != 0) return 0;
        if (_strands == null) return -Errno.ENOSYS;
        s.Block(p.ChildQueue ??= _strands.CreateWaitQueue($"children of {p.Pid}"));
        return 0;
    }

    // waitid(idtype, id, infop, options, rusage): as wait4, reporting through a siginfo; WNOWAIT leaves the zombie.
    private long WaitId(IUserStrand s, LinuxThread t, int idType, int id, ulong infoVa, int options, ulong rusageVa)
    {
        const int known = LinuxAbi.WNOHANG | LinuxAbi.WUNTRACED | LinuxAbi.WEXITED | LinuxAbi.WCONTINUED | LinuxAbi.WNOWAIT
            | LinuxAbi.__WNOTHREAD | LinuxAbi.__WALL | LinuxAbi.__WCLONE;
        if ((options & ~known) != 0 || (options & (LinuxAbi.WEXITED | LinuxAbi.WUNTRACED | LinuxAbi.WCONTINUED)) == 0) return -Errno.EINVAL;
        int pid;
        switch (idType)
        {
            case LinuxAbi.P_ALL: pid = -1; break;
            case LinuxAbi.P_PID: if (id <= 0) return -Errno.EINVAL; pid = id; break;
            case LinuxAbi.P_PGID: if (id < 0) return -Errno.EINVAL; pid = id == 0 ? 0 : -id; break;
            default: return -Errno.EINVAL;
        }
        LinuxProcess p = t.Process;
        LinuxProcess? child = FindWaitable(p, pid, options, out bool any, out ChildChange change);
        if (!any) return -Errno.ECHILD;
        if (child == null)
        {
            if ((options & LinuxAbi.WNOHANG) == 0)
            {
                if (_strands == null) return -Errno.ENOSYS;
                s.Block(p.ChildQueue ??= _strands.CreateWaitQueue($"children of {p.Pid}"));
                return 0;
            }
            return infoVa != 0 && ZeroUser(s, infoVa, 32) < 0 ? -Errno.EFAULT : 0;
        }
        if (infoVa != 0)
        {
            var (_, code, status) = Report(child, change);
            Span<byte> b = stackalloc byte[SignalFrame.SigInfoSize];
            SignalFrame.WriteSigInfo(b, LinuxAbi.SIGCHLD, new SignalInfo(code, child.Pid, child.Identity.Uid, status, 0));
            if (!s.Memory.CopyOut(infoVa, b)) return -Errno.EFAULT;
        }
        if (rusageVa != 0 && ZeroUser(s, rusageVa, 144) < 0) return -Errno.EFAULT;
        if ((options & LinuxAbi.WNOWAIT) == 0) Collect(p, child, change);
        return 0;
    }

    private void Reap(LinuxProcess parent, LinuxProcess zombie)
    {
        parent.Children.Remove(zombie);
        _processes.Remove(zombie);
    }

    private static int ZeroUser(IUserStrand s, ulong va, int length)
    {
        Span<byte> zero = stackalloc byte[length];
        zero.Clear();
        return s.Memory.CopyOut(va, zero) ? 0 : -Errno.EFAULT;
    }

    // setpgid(pid, pgid): the caller or a child (not yet exec'd) joins or starts a group in the caller's session.
    private long SetProcessGroup(LinuxProcess p, int pid, int pgid)
    {
        if (pgid < 0) return -Errno.EINVAL;
        LinuxProcess? target = pid == 0 ? p : _processes.Find(pid);
        if (target == null || target.Zombie || (target != p && target.Parent != p)) return -Errno.ESRCH;
        if (target != p && target.Execed) return -Errno.EACCES;
        if (target.Sid != p.Sid) return -Errno.EPERM;
        if (target.Sid == target.Pid) return -Errno.EPERM;
        if (pgid == 0) pgid = target.Pid;
        if (pgid != target.Pid)
        {
            bool exists = false;
            foreach (var other in _processes.All)
                if (!other.Zombie && other.Pgid == pgid && other.Sid == p.Sid) { exists = true; break; }
            if (!exists) return -Errno.EPERM;
        }
        target.Pgid = pgid;
        return 0;
    }

    private long GetProcessGroup(LinuxProcess p, int pid)
    {
        LinuxProcess? target = pid == 0 ? p : _processes.Find(pid);
        return target == null ? -Errno.ESRCH : target.Pgid;
    }

    // setsid: a process that leads no group starts a new session and group.
    private long SetSession(LinuxProcess p)
    {
        foreach (var other in _processes.All)
            if (other.Pgid == p.Pid) return -Errno.EPERM;
        p.Sid = p.Pgid = p.Pid;
        return p.Pid;
    }

    private long GetSession(LinuxProcess p, int pid)
    {
        LinuxProcess? target = pid == 0 ? p : _processes.Find(pid);
        return target == null ? -Errno.ESRCH : target.Sid;
    }
}
