using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// Limits, time, randomness, machine information.
public sealed partial class LinuxPersonality
{
    private static long SetRobustList(LinuxProcess p, ulong head, ulong length)
    {
        if (length != 24) return -Errno.EINVAL; // sizeof(struct robust_list_head)
        p.RobustListHead = head;
        return 0;
    }

    // prlimit64 (and getrlimit as prlimit64(0, resource, NULL, old)): struct rlimit64 {cur, max}.
    private static long Prlimit(IUserStrand s, LinuxProcess p, int pid, uint resource, ulong newVa, ulong oldVa)
    {
        if (pid != 0 && pid != p.Identity.Pid) return -Errno.ESRCH;
        if (resource >= LinuxAbi.RLIM_NLIMITS) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[16];
        (ulong Current, ulong Max) next = default;
        if (newVa != 0)
        {
            if (!s.Memory.CopyIn(newVa, b)) return -Errno.EFAULT;
            next = (BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt64LittleEndian(b[8..]));
            if (next.Current > next.Max) return -Errno.EINVAL;
            if (next.Max > p.Limits[resource].Max && p.Identity.Uid != 0) return -Errno.EPERM;
            if (resource == LinuxAbi.RLIMIT_NOFILE && next.Max > (ulong)p.Files.Length) return -Errno.EPERM;
        }
        if (oldVa != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, p.Limits[resource].Current);
            BinaryPrimitives.WriteUInt64LittleEndian(b[8..], p.Limits[resource].Max);
            if (!s.Memory.CopyOut(oldVa, b)) return -Errno.EFAULT;
        }
        if (newVa != 0) p.Limits[resource] = next;
        return 0;
    }

    private long GetRandom(IUserStrand s, ulong buf, ulong length, uint flags)
    {
        const uint known = LinuxAbi.GRND_NONBLOCK | LinuxAbi.GRND_RANDOM | LinuxAbi.GRND_INSECURE;
        if ((flags & ~known) != 0 || (flags & (LinuxAbi.GRND_RANDOM | LinuxAbi.GRND_INSECURE)) == (LinuxAbi.GRND_RANDOM | LinuxAbi.GRND_INSECURE))
            return -Errno.EINVAL;
        long remaining = (long)Math.Min(length, (ulong)LinuxAbi.MaxIoCount), done = 0;
        while (remaining > 0)
        {
            Span<byte> chunk = _scratch.AsSpan(0, (int)Math.Min(remaining, _scratch.Length));
            _entropy.Fill(chunk);
            if (!s.Memory.CopyOut(buf + (ulong)done, chunk)) return done > 0 ? done : -Errno.EFAULT;
            done += chunk.Length;
            remaining -= chunk.Length;
        }
        return done;
    }

    /// <summary>uname's sysname, nodename, release, version, machine, domainname (also /proc/version's words).</summary>
    internal static readonly string[] UtsFields = ["Linux", "spindle", "6.8.0-spindle", "#1 SMP Spindle", "riscv64", "(none)"];

    // uname: struct utsname, six NUL-padded 65-byte fields.
    private static long Uname(IUserStrand s, ulong va)
    {
        Span<byte> b = stackalloc byte[6 * 65];
        b.Clear();
        for (int i = 0; i < UtsFields.Length; i++)
            for (int c = 0; c < UtsFields[i].Length; c++) b[i * 65 + c] = (byte)UtsFields[i][c];
        return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
    }

    // clock ids: REALTIME 0, MONOTONIC 1, PROCESS/THREAD_CPUTIME 2/3, MONOTONIC_RAW 4,
    // REALTIME/MONOTONIC_COARSE 5/6, BOOTTIME 7, TAI 11. Returns nanoseconds or -1 if unknown.
    private long ClockNanoseconds(LinuxProcess p, int clock) => clock switch
    {
        0 or 5 or 11 => _clock.RealtimeNanoseconds,
        1 or 4 or 6 or 7 => _clock.MonotonicNanoseconds,
        2 or 3 => _clock.MonotonicNanoseconds - p.StartNanoseconds, // no CPU accounting yet: time since start
        _ => -1,
    };

    private long ClockGetTime(IUserStrand s, LinuxProcess p, int clock, ulong va)
    {
        long ns = ClockNanoseconds(p, clock);
        if (ns < 0) return -Errno.EINVAL;
        return CopyOutPair(s, va, ns / 1_000_000_000, ns % 1_000_000_000);
    }

    private long ClockGetRes(IUserStrand s, int clock, ulong va)
    {
        if (clock is < 0 or > 11 or 8 or 9 or 10) return -Errno.EINVAL;
        return va == 0 ? 0 : CopyOutPair(s, va, 0, 1);
    }

    private long GetTimeOfDay(IUserStrand s, ulong tv, ulong tz)
    {
        long ns = _clock.RealtimeNanoseconds;
        if (tv != 0 && CopyOutPair(s, tv, ns / 1_000_000_000, ns % 1_000_000_000 / 1000) < 0) return -Errno.EFAULT;
        if (tz == 0) return 0;
        Span<byte> zone = stackalloc byte[8]; // struct timezone: UTC, no DST
        zone.Clear();
        return s.Memory.CopyOut(tz, zone) ? 0 : -Errno.EFAULT;
    }

    // Writes two 64-bit words (struct timespec or timeval).
    private static long CopyOutPair(IUserStrand s, ulong va, long first, long second)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(b, first);
        BinaryPrimitives.WriteInt64LittleEndian(b[8..], second);
        return s.Memory.CopyOut(va, b) ? 0 : -Errno.EFAULT;
    }

    // sched_getaffinity: one CPU. Returns the size of the kernel's mask (8 bytes).
    private static long GetAffinity(IUserStrand s, LinuxProcess p, int pid, ulong length, ulong va)
    {
        if (pid != 0 && pid != p.Identity.Pid && pid != s.Id) return -Errno.ESRCH;
        if (length < 8 || (length & 7) != 0) return -Errno.EINVAL;
        Span<byte> mask = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(mask, 1);
        return s.Memory.CopyOut(va, mask) ? 8 : -Errno.EFAULT;
    }

    private static long FlushIcache(IUserStrand s, ulong flags)
    {
        if ((flags & ~1UL) != 0) return -Errno.EINVAL; // SYS_RISCV_FLUSH_ICACHE_LOCAL
        s.FlushInstructionCache();
        return 0;
    }
}
