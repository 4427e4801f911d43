using System;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// The Linux text formats of /proc/PID/stat, statm, status, cmdline and environ, made from the personality's
/// process object. Called on the CPU's thread, when a file is opened.
/// Limitations: the personality counts no CPU time, page faults or per-process memory, so the times, fault
/// counts and memory sizes read 0 (ps shows TIME 0:00 and VSZ 0); cmdline and environ are the strings execve
/// was given (a program that rewrites its argv in place is not seen), and the first process, started from
/// outside, shows its executable's path as its one argument and an empty environment.
/// </summary>
internal static class ProcText
{
    /// <summary>statfs's f_type of /proc (PROC_SUPER_MAGIC).</summary>
    public const long ProcMagic = 0x9fa0;

    /// <summary>Clock ticks per second of /proc's times (USER_HZ).</summary>
    public const long TicksPerSecond = 100;
    private const long NanosecondsPerTick = 1_000_000_000 / TicksPerSecond;

    /// <summary>comm: the first thread's name (PR_SET_NAME), else the executable's base name, at most 15 bytes.</summary>
    public static string Command(LinuxProcess p) =>
        Encoding.UTF8.GetString(p.Threads.Count > 0 ? LinuxPersonality.ThreadName(p.Threads[0]) : p.ExecutableName);

    /// <summary>The one-letter state: Z a zombie, T stopped (job control), S when every thread waits in a blocking call, else R.</summary>
    public static char State(LinuxProcess p)
    {
        if (p.Zombie) return 'Z';
        if (p.Stopped) return 'T';
        foreach (LinuxThread t in p.Threads)
            if (!t.Strand.HasExited && !t.Strand.RestartingSyscall && !t.Strand.Suspended) return 'R';
        return p.Threads.Count == 0 ? 'Z' : 'S';
    }

    private static string StateName(char state) => state switch
    {
        'R' => "R (running)", 'S' => "S (sleeping)", 'T' => "T (stopped)", _ => "Z (zombie)",
    };

    // Signal sets of a process: pending (process-directed), blocked (the first thread's), ignored, caught.
    private static (ulong Pending, ulong Blocked, ulong Ignored, ulong Caught) Signals(LinuxProcess p)
    {
        ulong caught = 0, ignored = 0;
        for (int sig = 1; sig <= LinuxAbi.NSIG; sig++)
        {
            ulong h = p.SignalActions[sig].Handler, bit = 1UL << (sig - 1);
            if (h == LinuxAbi.SIG_IGN) ignored |= bit;
            else if (h != 0) caught |= bit;
        }
        return (p.Pending, p.Threads.Count > 0 ? p.Threads[0].Blocked : 0, ignored, caught);
    }

    /// <summary>
    /// /proc/PID/stat: the 52 fields of Linux's do_task_stat. Known here: pid, comm, state, ppid, pgrp,
    /// session, priority and nice, num_threads, starttime (ticks since boot), signal sets, start_brk, exit_signal,
    /// exit_code; the rest 0 (times, faults, memory sizes the personality does not count) or Linux's constant
    /// (priority 20, nice, rsslim).
    /// </summary>
    public static string Stat(LinuxProcess p, ProcSources sources)
    {
        var (pending, blocked, ignored, caught) = Signals(p);
        long start = sources.SinceBoot(p.CreatedNanoseconds) / NanosecondsPerTick;
        int exitCode = p.Zombie ? p.WaitStatus : 0;
        return $"{p.Pid} ({Command(p)}) {State(p)} {p.ParentPid} {p.Pgid} {p.Sid} 0 -1 4194304 0 0 0 0 0 0 0 0 {20 + p.Nice} {p.Nice} " +
               $"{Math.Max(1, p.Threads.Count)} 0 {start} 0 0 18446744073709551615 0 0 0 0 0 {pending} {blocked} {ignored} {caught} " +
               $"0 0 0 {p.ExitSignal} 0 0 0 0 0 0 0 0 {p.BrkStart} 0 0 0 0 {exitCode}\n";
    }

    /// <summary>/proc/PID/statm: size resident shared text lib data dt, in pages (0: not counted, see the class).</summary>
    public static string Statm(LinuxProcess p) => "0 0 0 0 0 0 0\n";

    /// <summary>/proc/PID/status in Linux's order (proc_pid_status): identity, ids, descriptors, threads and signal sets.</summary>
    public static string Status(LinuxProcess p)
    {
        uint uid = p.Identity.Uid, gid = p.Identity.Gid;
        var (pending, blocked, ignored, caught) = Signals(p);
        var groups = new StringBuilder();
        foreach (uint g in p.Groups) groups.Append(g).Append(' ');
        return $"Name:\t{Command(p)}\nUmask:\t{Convert.ToString(p.Umask, 8).PadLeft(4, '0')}\nState:\t{StateName(State(p))}\n" +
               $"Tgid:\t{p.Pid}\nNgid:\t0\nPid:\t{p.Pid}\nPPid:\t{p.ParentPid}\nTracerPid:\t0\n" +
               $"Uid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{gid}\t{gid}\t{gid}\t{gid}\nFDSize:\t{p.Files.Length}\nGroups:\t{groups}\n" +
               $"NStgid:\t{p.Pid}\nNSpid:\t{p.Pid}\nNSpgid:\t{p.Pgid}\nNSsid:\t{p.Sid}\nThreads:\t{Math.Max(1, p.Threads.Count)}\n" +
               $"SigPnd:\t0000000000000000\nShdPnd:\t{pending:x16}\nSigBlk:\t{blocked:x16}\nSigIgn:\t{ignored:x16}\nSigCgt:\t{caught:x16}\n";
    }

    /// <summary>/proc/PID/cmdline: the NUL-terminated arguments; empty for a zombie, as on Linux.</summary>
    public static byte[] Cmdline(LinuxProcess p) => p.Zombie ? [] : p.Arguments;

    /// <summary>/proc/PID/environ: the NUL-terminated environment strings; empty for a zombie.</summary>
    public static byte[] Environ(LinuxProcess p) => p.Zombie ? [] : p.Environment;
}
