using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// Who a process is and what it uses: prctl (names, dumpable, no_new_privs), supplementary groups, nice
// values, getrusage and sysinfo. The personality keeps no CPU or memory accounting: the CPU time reported
// is the time since the process started (as its CPU clocks), and memory figures are 0.
public sealed partial class LinuxPersonality
{
    private const int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16,
        PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
    private const int CommLength = 16; // TASK_COMM_LEN, with its NUL
    private const int NgroupsMax = 65536;
    private const int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    private static long Prctl(IUserStrand s, LinuxThread t, int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5)
    {
        LinuxProcess p = t.Process;
        switch (option)
        {
            case PR_SET_NAME:
                return SetThreadName(s, t, arg2);
            case PR_GET_NAME:
                Span<byte> name = stackalloc byte[CommLength];
                name.Clear();
                ThreadName(t).CopyTo(name);
                return s.Memory.CopyOut(arg2, name) ? 0 : -Errno.EFAULT;
            case PR_GET_DUMPABLE:
                return p.Dumpable ? 1 : 0;
            case PR_SET_DUMPABLE:
                if (arg2 > 1) return -Errno.EINVAL;
                p.Dumpable = arg2 == 1;
                return 0;
            case PR_SET_NO_NEW_PRIVS:
                if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) return -Errno.EINVAL;
                p.NoNewPrivileges = true;
                return 0;
            case PR_GET_NO_NEW_PRIVS:
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) return -Errno.EINVAL;
                return p.NoNewPrivileges ? 1 : 0;
            default:
                return -Errno.EINVAL;
        }
    }

    // PR_SET_NAME: at most 15 bytes of the string at va (longer names are cut, as Linux).
    private static long SetThreadName(IUserStrand s, LinuxThread t, ulong va)
    {
        Span<byte> name = stackalloc byte[CommLength - 1];
        int n = 0;
        for (; n < name.Length; n++)
        {
            if (!s.Memory.CopyIn(va + (ulong)n, name.Slice(n, 1))) return -Errno.EFAULT;
            if (name[n] == 0) break;
        }
        t.Name = name[..n].ToArray();
        return 0;
    }

    /// <summary>A thread's comm: its PR_SET_NAME name, else its executable's base name, at most 15 bytes.</summary>
    internal static ReadOnlySpan<byte> ThreadName(LinuxThread t) => t.Name ?? t.Process.ExecutableName;

    private static long GetGroups(IUserStrand s, LinuxProcess p, int size, ulong va)
    {
        uint[] groups = p.Groups;
        if (size < 0) return -Errno.EINVAL;
        if (size == 0) return groups.Length;
        if (size < groups.Length) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[4];
        for (int i = 0; i < groups.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, groups[i]);
            if (!s.Memory.CopyOut(va + 4 * (ulong)i, b)) return -Errno.EFAULT;
        }
        return groups.Length;
    }

    // setgroups: root only; kept sorted, as Linux keeps them (getgroups answers in that order).
    private static long SetGroups(IUserStrand s, LinuxProcess p, int size, ulong va)
    {
        if (p.Identity.Uid != 0) return -Errno.EPERM;
        if ((uint)size > NgroupsMax) return -Errno.EINVAL;
        var groups = new uint[size];
        Span<byte> b = stackalloc byte[4];
        for (int i = 0; i < size; i++)
        {
            if (!s.Memory.CopyIn(va + 4 * (ulong)i, b)) return -Errno.EFAULT;
            groups[i] = BinaryPrimitives.ReadUInt32LittleEndian(b);
        }
        Array.Sort(groups);
        p.Groups = groups;
        return 0;
    }

    // The processes getpriority/setpriority name (which, who); who 0 is the caller's own pid, group or user.
    private List<LinuxProcess>? PriorityTargets(LinuxProcess p, int which, int who)
    {
        if (which is < PRIO_PROCESS or > PRIO_USER) return null;
        var targets = new List<LinuxProcess>();
        foreach (LinuxProcess q in _processes.All)
        {
            if (q.Zombie) continue;
            bool match = which switch
            {
                PRIO_PROCESS => q.Pid == (who == 0 ? p.Pid : who),
                PRIO_PGRP => q.Pgid == (who == 0 ? p.Pgid : who),
                _ => q.Identity.Uid == (who == 0 ? p.Identity.Uid : (uint)who),
            };
            if (match) targets.Add(q);
        }
        return targets;
    }

    // getpriority: 20 - nice of the highest-priority target (the raw call's answer; glibc turns it back).
    private long GetPriority(LinuxProcess p, int which, int who)
    {
        List<LinuxProcess>? targets = PriorityTargets(p, which, who);
        if (targets == null) return -Errno.EINVAL;
        if (targets.Count == 0) return -Errno.ESRCH;
        int nice = 20;
        foreach (LinuxProcess q in targets) nice = Math.Min(nice, q.Nice);
        return 20 - nice;
    }

    // setpriority: nice clamped to -20..19; lowering it needs root (-EACCES), another user's process too (-EPERM).
    private long SetPriority(LinuxProcess p, int which, int who, int nice)
    {
        List<LinuxProcess>? targets = PriorityTargets(p, which, who);
        if (targets == null) return -Errno.EINVAL;
        if (targets.Count == 0) return -Errno.ESRCH;
        nice = Math.Clamp(nice, -20, 19);
        long result = 0;
        foreach (LinuxProcess q in targets)
        {
            if (p.Identity.Uid != 0 && q.Identity.Uid != p.Identity.Uid) { result = -Errno.EPERM; continue; }
            if (nice < q.Nice && p.Identity.Uid != 0) { result = -Errno.EACCES; continue; }
            q.Nice = nice;
        }
        return result;
    }

    // getrusage(who, usage): struct rusage (144 bytes). RUSAGE_SELF and RUSAGE_THREAD report the time since
    // the process started as user time; RUSAGE_CHILDREN reports 0 (reaped children are not accounted).
    private long GetResourceUsage(IUserStrand s, LinuxProcess p, int who, ulong va)
    {
        const int RUSAGE_CHILDREN = -1, RUSAGE_SELF = 0, RUSAGE_THREAD = 1;
        if (who is not (RUSAGE_CHILDREN or RUSAGE_SELF or RUSAGE_THREAD)) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[144];
        b.Clear();
        if (who != RUSAGE_CHILDREN)
        {
            long ns = _clock.MonotonicNanoseconds - p.StartNanoseconds;
            BinaryPrimitives.WriteInt64LittleEndian(b, ns / 1_000_000_000);
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], ns % 1_000_000_000 / 1000);
        }
        return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
    }

    // sysinfo: struct sysinfo (112 bytes): uptime, loads, memory (the machine's frames, mem_unit 1) and the number of processes.
    private long SystemInformation(IUserStrand s, ulong va)
    {
        Span<byte> b = stackalloc byte[112];
        b.Clear();
        long now = ProcSources.Uptime;
        BinaryPrimitives.WriteInt64LittleEndian(b, now / 1_000_000_000);
        long[] loads = ProcSources.Load.Sample(now, Files.ProcSystemText.Threads(_processes).Running);
        for (int k = 0; k < 3; k++)   // SI_LOAD_SHIFT 16 fraction bits
            BinaryPrimitives.WriteUInt64LittleEndian(b[(8 + 8 * k)..], (ulong)loads[k] << (16 - Files.LoadAverage.FractionBits));
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], (ulong)(_memory?.TotalFrames ?? 0) * 4096);   // totalram
        BinaryPrimitives.WriteUInt64LittleEndian(b[40..], (ulong)(_memory?.FreeFrames ?? 0) * 4096);    // freeram
        int live = 0;
        foreach (LinuxProcess q in _processes.All) if (!q.Zombie) live++;
        BinaryPrimitives.WriteUInt16LittleEndian(b[80..], (ushort)Math.Min(live, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(b[104..], 1); // mem_unit
        return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
    }
}
