using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;

namespace Spindle.Extensions.Linux.Process;

/// <summary>Who a process is: its ids as the program sees them.</summary>
public sealed record ProcessIdentity(int Pid, int ParentPid, uint Uid, uint Gid);

/// <summary>
/// The personality's state for one Linux process: file descriptors, working directory, the
/// program break and mmap placement, signal dispositions and resource limits. Owned by the
/// personality; reached through the strand's ProcessState.
/// </summary>
public sealed class LinuxProcess
{
    /// <summary>Lowest address mmap hands out without MAP_FIXED (vm.mmap_min_addr).</summary>
    public const ulong MinMapAddress = 0x10000;

    /// <summary>Descriptors and working directory (shared by threads, cloned by fork).</summary>
    public FileTable Files { get; set; } = new();

    /// <param name="identity">pid, ppid, uid and gid the program sees.</param>
    /// <param name="executable">The program's path, answered for /proc/self/exe.</param>
    /// <param name="cwd">Absolute working directory within the file-system root.</param>
    /// <param name="brkStart">First address of the heap (the end of the loaded image).</param>
    /// <param name="mapBase">Lowest address for placing mmap regions; the heap may grow up to it.</param>
    /// <param name="mapLimit">First address above the mmap area (below the stack).</param>
    public LinuxProcess(ProcessIdentity identity, string executable, string cwd, ulong brkStart, ulong mapBase, ulong mapLimit)
    {
        if (cwd.Length == 0 || cwd[0] != '/') throw new ArgumentException("the working directory must be absolute", nameof(cwd));
        if (mapBase >= mapLimit) throw new ArgumentException("empty mmap area", nameof(mapBase));
        Identity = identity;
        Executable = System.Text.Encoding.UTF8.GetBytes(executable);
        Cwd = System.Text.Encoding.UTF8.GetBytes(cwd);
        BrkStart = BrkCurrent = brkStart;
        BrkMappedEnd = PageUp(brkStart);
        MapBase = MapNext = mapBase;
        MapLimit = mapLimit;
        Limits[LinuxAbi.RLIMIT_STACK] = (8 << 20, LinuxAbi.RLIM_INFINITY);
        Limits[LinuxAbi.RLIMIT_NOFILE] = ((ulong)Files.Length, (ulong)Files.Length);
        for (int i = 0; i < Limits.Length; i++)
            if (Limits[i] == default) Limits[i] = (LinuxAbi.RLIM_INFINITY, LinuxAbi.RLIM_INFINITY);
    }

    public ProcessIdentity Identity { get; }
    internal byte[] Executable { get; }
    internal byte[] Cwd { get; }

    /// <summary>Program break: where the heap starts, where it ends now, and the end of its mapped pages.</summary>
    public ulong BrkStart { get; }
    public ulong BrkCurrent { get; internal set; }
    public ulong BrkMappedEnd { get; internal set; }

    /// <summary>The mmap area and its next-fit cursor.</summary>
    public ulong MapBase { get; }
    public ulong MapLimit { get; }
    internal ulong MapNext;

    /// <summary>Signal dispositions (handler, flags, mask) recorded by rt_sigaction, and the blocked mask. Nothing is delivered yet.</summary>
    internal readonly (ulong Handler, ulong Flags, ulong Mask)[] SignalActions = new (ulong, ulong, ulong)[LinuxAbi.NSIG + 1];
    internal ulong BlockedSignals;

    /// <summary>Recorded by set_tid_address and set_robust_list (used once threads exist).</summary>
    internal ulong ClearChildTid, RobustListHead;

    /// <summary>Monotonic time the process started (its CPU clocks count from it).</summary>
    internal long StartNanoseconds;

    internal readonly (ulong Current, ulong Max)[] Limits = new (ulong, ulong)[LinuxAbi.RLIM_NLIMITS];

    /// <summary>Installs <paramref name="file"/> at the lowest free descriptor; -EMFILE if none.</summary>
    internal int Install(FileDescription file, bool closeOnExec = false) => Files.Install(file, closeOnExec, DescriptorLimit);

    /// <summary>RLIMIT_NOFILE's current value, as a descriptor bound.</summary>
    internal int DescriptorLimit => (int)Math.Min(Limits[LinuxAbi.RLIMIT_NOFILE].Current, (ulong)Files.Length);

    /// <summary>The description behind <paramref name="fd"/>, or null if it is not open.</summary>
    internal FileDescription? Get(long fd) => Files.Get(fd);

    /// <summary>Closes every descriptor (process exit).</summary>
    public void CloseAll() => Files.CloseAll();

    internal static ulong PageUp(ulong a) => (a + 4095) & ~4095UL;
}
