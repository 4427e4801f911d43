using System;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Linux.Process;

/// <summary>Who a process is: its ids as the program sees them (ParentPid: the parent outside the personality, if any).</summary>
public sealed record ProcessIdentity(int Pid, int ParentPid, uint Uid, uint Gid);

/// <summary>
/// The personality's state for one Linux process: file descriptors, working directory, the
/// program break and mmap placement, signal dispositions and process-directed pending signals,
/// resource limits, its threads, its parent and children, process group and session, and its
/// exit status once it is a zombie. Owned by the personality; reached through a thread.
/// </summary>
public sealed class LinuxProcess
{
    /// <summary>Lowest address mmap hands out without MAP_FIXED (vm.mmap_min_addr).</summary>
    public const ulong MinMapAddress = 0x10000;

    /// <summary>Descriptors and working directory (shared by threads, cloned by fork).</summary>
    internal FileTable Files { get; private set; } = new();

    /// <param name="identity">pid, ppid, uid and gid the program sees.</param>
    /// <param name="executable">The program's path, answered for /proc/self/exe.</param>
    /// <param name="cwd">Absolute working directory within the file-system root.</param>
    /// <param name="brkStart">First address of the heap (the end of the loaded image).</param>
    /// <param name="mapBase">Lowest address for placing mmap regions; the heap may grow up to it.</param>
    /// <param name="mapLimit">First address above the mmap area (below the stack).</param>
    public LinuxProcess(ProcessIdentity identity, string executable, string cwd, ulong brkStart, ulong mapBase, ulong mapLimit)
    {
        if (cwd.Length == 0 || cwd[0] != '/') throw new ArgumentException("the working directory must be absolute", nameof(cwd));
        Identity = identity;
        Executable = System.Text.Encoding.UTF8.GetBytes(executable);
        Arguments = [.. Executable, 0];
        Cwd = System.Text.Encoding.UTF8.GetBytes(cwd);
        ResetMemory(brkStart, mapBase, mapLimit);
        Pgid = Sid = identity.Pid;
        Limits[LinuxAbi.RLIMIT_STACK] = (8 << 20, LinuxAbi.RLIM_INFINITY);
        Limits[LinuxAbi.RLIMIT_NOFILE] = ((ulong)Files.Length, (ulong)Files.Length);
        for (int i = 0; i < Limits.Length; i++)
            if (Limits[i] == default) Limits[i] = (LinuxAbi.RLIM_INFINITY, LinuxAbi.RLIM_INFINITY);
        MemoryIdentity = new object();
    }

    // fork: a child of parent with its ids, sharing parent's open descriptions.
    private LinuxProcess(LinuxProcess parent, ProcessIdentity identity, bool shareMemory)
    {
        Identity = identity;
        Parent = parent;
        Executable = parent.Executable;
        Arguments = parent.Arguments;
        Environment = parent.Environment;
        Cwd = parent.Cwd;
        BrkStart = parent.BrkStart;
        BrkCurrent = parent.BrkCurrent;
        BrkMappedEnd = parent.BrkMappedEnd;
        MapBase = parent.MapBase;
        MapNext = parent.MapNext;
        MapLimit = parent.MapLimit;
        Pgid = parent.Pgid;
        Sid = parent.Sid;
        Files = parent.Files.Clone();
        Array.Copy(parent.SignalActions, SignalActions, SignalActions.Length);
        Array.Copy(parent.Limits, Limits, Limits.Length);
        StartNanoseconds = parent.StartNanoseconds;
        Umask = parent.Umask;
        Nice = parent.Nice;
        Groups = parent.Groups;
        Dumpable = parent.Dumpable;
        NoNewPrivileges = parent.NoNewPrivileges;
        MemoryIdentity = shareMemory ? parent.MemoryIdentity : new object();
        parent.Children.Add(this);
    }

    /// <summary>Creates the child of a fork (or vfork, sharing memory): same descriptors, dispositions, limits, group and session.</summary>
    internal LinuxProcess Fork(int pid, bool shareMemory) =>
        new(this, new ProcessIdentity(pid, Identity.Pid, Identity.Uid, Identity.Gid), shareMemory);

    public ProcessIdentity Identity { get; }

    /// <summary>The process id.</summary>
    public int Pid => Identity.Pid;

    /// <summary>getppid: the parent's pid, or the outside parent for a process the personality did not fork.</summary>
    public int ParentPid => Parent?.Pid ?? Identity.ParentPid;

    internal byte[] Executable { get; set; }

    /// <summary>The executable's base name, at most 15 bytes (TASK_COMM_LEN - 1): a thread's comm until PR_SET_NAME.</summary>
    internal ReadOnlySpan<byte> ExecutableName
    {
        get
        {
            ReadOnlySpan<byte> name = Executable.AsSpan(Executable.AsSpan().LastIndexOf((byte)'/') + 1);
            return name[..Math.Min(name.Length, 15)];
        }
    }
    internal byte[] Cwd { get; set; }

    /// <summary>
    /// The arguments and environment execve was given, each string NUL-terminated (/proc/PID/cmdline and
    /// environ); a process started from outside has its executable's path as its one argument and no environment.
    /// </summary>
    internal byte[] Arguments { get; set; }
    internal byte[] Environment { get; set; } = [];

    /// <summary>Program break: where the heap starts, where it ends now, and the end of its mapped pages.</summary>
    public ulong BrkStart { get; private set; }
    public ulong BrkCurrent { get; internal set; }
    public ulong BrkMappedEnd { get; internal set; }

    /// <summary>The mmap area and its next-fit cursor.</summary>
    public ulong MapBase { get; private set; }
    public ulong MapLimit { get; private set; }
    internal ulong MapNext;

    /// <summary>Identifies the address space for futex keys: shared by processes created with CLONE_VM.</summary>
    internal object MemoryIdentity { get; set; }

    /// <summary>Signal dispositions (handler, flags, mask) set by rt_sigaction.</summary>
    internal readonly (ulong Handler, ulong Flags, ulong Mask)[] SignalActions = new (ulong, ulong, ulong)[LinuxAbi.NSIG + 1];

    /// <summary>Process-directed pending signals (kill) and their siginfo.</summary>
    internal ulong Pending;
    internal readonly SignalInfo[] PendingInfo = new SignalInfo[LinuxAbi.NSIG + 1];

    /// <summary>set_robust_list head (recorded; robust futexes are not walked).</summary>
    internal ulong RobustListHead;

    /// <summary>Monotonic time the process started (its CPU clocks count from it).</summary>
    internal long StartNanoseconds;

    /// <summary>Monotonic time this process was made (created or forked): /proc/PID/stat's starttime.</summary>
    internal long CreatedNanoseconds;

    internal readonly (ulong Current, ulong Max)[] Limits = new (ulong, ulong)[LinuxAbi.RLIM_NLIMITS];

    /// <summary>umask: permission bits taken away from files and directories the process creates.</summary>
    internal uint Umask = 0x12;

    /// <summary>The nice value (-20..19) of getpriority/setpriority.</summary>
    internal int Nice;

    /// <summary>Supplementary group ids (setgroups; empty at the start).</summary>
    internal uint[] Groups = [];

    /// <summary>prctl PR_SET_DUMPABLE and PR_SET_NO_NEW_PRIVS.</summary>
    internal bool Dumpable = true, NoNewPrivileges;

    /// <summary>The process's live threads, the first one being the thread group leader while it lives.</summary>
    internal readonly List<LinuxThread> Threads = new();

    /// <summary>The parent (null for a process started from outside, or once the parent is gone and no init adopts it).</summary>
    internal LinuxProcess? Parent { get; set; }

    /// <summary>Children not yet reaped (live or zombie).</summary>
    internal readonly List<LinuxProcess> Children = new();

    /// <summary>Where the process's threads wait for a child to change state (wait4, waitid).</summary>
    internal IWaitQueue? ChildQueue;

    /// <summary>Process group and session ids.</summary>
    internal int Pgid, Sid;

    /// <summary>True once the process is exiting (exit_group, a fatal signal, or its last thread ended).</summary>
    internal bool Exiting;

    /// <summary>The wait status reported to the parent (status &lt;&lt; 8, or the signal), set when Exiting.</summary>
    internal int WaitStatus;

    /// <summary>Job control: stopped by <see cref="StopSignal"/> until SIGCONT; its threads wait on <see cref="StopQueue"/>.</summary>
    internal bool Stopped;
    internal int StopSignal;
    internal IWaitQueue? StopQueue;

    /// <summary>A stop (or continue) the parent has not yet collected with wait's WUNTRACED (WCONTINUED).</summary>
    internal bool StopReportable, ContinueReportable;

    /// <summary>True once every thread has ended: the process is a zombie until its parent reaps it.</summary>
    internal bool Zombie;

    /// <summary>The signal the parent gets when the process ends (clone's CSIGNAL; SIGCHLD for fork, 0 for none).</summary>
    internal int ExitSignal = LinuxAbi.SIGCHLD;

    /// <summary>True once every thread has ended (the process is a zombie or was reaped).</summary>
    public bool HasExited => Zombie;

    /// <summary>The shell's view of how the process ended: its exit status, or 128 + the signal that killed it.</summary>
    public int ExitCode => Signals.Termination.ShellStatus(WaitStatus);

    /// <summary>True once the process ran execve (a vfork parent stops waiting then).</summary>
    internal bool Execed;

    /// <summary>Sets the heap and mmap layout of a (new) program image.</summary>
    internal void ResetMemory(ulong brkStart, ulong mapBase, ulong mapLimit)
    {
        if (mapBase >= mapLimit) throw new ArgumentException("empty mmap area", nameof(mapBase));
        BrkStart = BrkCurrent = brkStart;
        BrkMappedEnd = PageUp(brkStart);
        MapBase = MapNext = mapBase;
        MapLimit = mapLimit;
    }

    /// <summary>Installs <paramref name="file"/> at the lowest free descriptor; -EMFILE if none.</summary>
    internal int Install(FileDescription file, bool closeOnExec = false) => Files.Install(file, closeOnExec, DescriptorLimit);

    /// <summary>RLIMIT_NOFILE's current value, as a descriptor bound.</summary>
    internal int DescriptorLimit => (int)Math.Min(Limits[LinuxAbi.RLIMIT_NOFILE].Current, (ulong)Files.Length);

    /// <summary>The description behind <paramref name="fd"/>, or null if it is not open.</summary>
    internal FileDescription? Get(long fd) => Files.Get(fd);

    /// <summary>Closes every descriptor (process exit).</summary>
    public void CloseAll() => Files.CloseAll();

    internal static ulong PageUp(ulong a) => (a + 4095) & ~4095UL;

    public override string ToString() => $"process {Pid}";
}
