using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// The system-wide files of /proc in Linux's formats, made from the Spindle system when opened: the machine's
/// frames (meminfo), its one hart (cpuinfo), the clock (uptime, stat's btime), the process table (loadavg,
/// stat) and the personality's mounts (mounts). Called on the CPU's thread.
/// Limitations: the kernel counts no CPU time per state, so stat's cpu lines and uptime's idle time read 0;
/// meminfo knows total and free frames only (the caches, slab and swap lines read 0; nothing swaps); load
/// averages are Linux's exponential averages, sampled when loadavg or sysinfo is read rather than every 5 s.
/// </summary>
internal static class ProcSystemText
{
    /// <summary>/proc/meminfo: "Name:" padded to 16, the value in kB right-aligned in 8, " kB", as Linux's show_val_kb.</summary>
    public static byte[] Meminfo(ProcSources sources)
    {
        ulong totalKb = (ulong)(sources.Memory?.TotalFrames ?? 0) * 4, freeKb = (ulong)(sources.Memory?.FreeFrames ?? 0) * 4;
        var text = new StringBuilder();
        void Line(string name, ulong kb) => text.Append((name + ":").PadRight(16)).Append(kb.ToString().PadLeft(8)).Append(" kB\n");
        Line("MemTotal", totalKb);
        Line("MemFree", freeKb);
        Line("MemAvailable", freeKb);
        foreach (string zero in ZeroMeminfoLines) Line(zero, 0);
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static readonly string[] ZeroMeminfoLines =
    [
        "Buffers", "Cached", "SwapCached", "Active", "Inactive", "SwapTotal", "SwapFree", "Dirty", "Writeback",
        "AnonPages", "Mapped", "Shmem", "Slab", "SReclaimable", "SUnreclaim",
    ];

    /// <summary>/proc/cpuinfo as riscv's show_cpuinfo prints it for the machine's one hart (RV64GC, Sv48 page tables).</summary>
    public static byte[] Cpuinfo() =>
        "processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv48\nmvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n"u8.ToArray();

    /// <summary>/proc/uptime: seconds since boot and idle seconds (not counted: 0.00), with hundredths.</summary>
    public static byte[] Uptime(ProcSources sources) =>
        Encoding.ASCII.GetBytes($"{Hundredths(sources.Uptime / 10_000_000)} 0.00\n");

    /// <summary>/proc/loadavg: the three loads, running/total threads, and the last pid given out.</summary>
    public static byte[] Loadavg(ProcSources sources)
    {
        var (running, total) = Threads(sources.Processes);
        var loads = sources.Load.Sample(sources.Uptime, running);
        return Encoding.ASCII.GetBytes(
            $"{LoadAverage.Format(loads[0])} {LoadAverage.Format(loads[1])} {LoadAverage.Format(loads[2])} {running}/{total} {sources.Processes.LastPid}\n");
    }

    /// <summary>/proc/stat: the cpu lines (all 0, see the class), boot time, processes created, running and blocked.</summary>
    public static byte[] Stat(ProcSources sources)
    {
        var (running, total) = Threads(sources.Processes);
        long bootTime = (sources.Clock.RealtimeNanoseconds - sources.Uptime) / 1_000_000_000;
        return Encoding.ASCII.GetBytes(
            "cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\nintr 0\nctxt 0\n" +
            $"btime {bootTime}\nprocesses {sources.Processes.Created}\nprocs_running {running}\nprocs_blocked 0\n" +
            "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
    }

    /// <summary>/proc/version: uname's release and version in Linux's "Linux version ..." line.</summary>
    public static byte[] Version() =>
        Encoding.ASCII.GetBytes($"Linux version {LinuxPersonality.UtsFields[2]} (spindle@spindle) (Spindle Linux personality) {LinuxPersonality.UtsFields[3]}\n");

    /// <summary>/proc/filesystems: the types this personality shows ("nodev" where no block device is needed) and ext2.</summary>
    public static byte[] Filesystems() => "nodev\tproc\nnodev\ttmpfs\nnodev\tdevtmpfs\nnodev\thostfs\n\text2\n"u8.ToArray();

    /// <summary>
    /// /proc/mounts: "source mountpoint type options 0 0" for the root and every mount in mount order, with
    /// Linux's octal escapes for space, tab, newline and backslash. The source is the type's name (the
    /// personality does not know which device a disk file system came from).
    /// </summary>
    public static byte[] Mounts(ProcSources sources)
    {
        var text = new List<byte>();
        foreach (var (path, fs) in sources.Mounts)
        {
            string type = TypeName(fs);
            text.AddRange(Encoding.ASCII.GetBytes(type + " "));
            foreach (byte b in path)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\\') text.AddRange(Encoding.ASCII.GetBytes("\\" + Convert.ToString(b, 8).PadLeft(3, '0')));
                else text.Add(b);
            }
            text.AddRange(Encoding.ASCII.GetBytes($" {type} rw 0 0\n"));
        }
        return text.ToArray();
    }

    // The Linux type name of a mounted file system: the personality's own by class, a foreign one by its magic.
    private static string TypeName(IFileSystem fs) => fs switch
    {
        ProcFs => "proc",
        DevFs => "devtmpfs",
        MemoryFs => "tmpfs",
        HostFs => "hostfs",
        _ => fs.GetStatistics(out FileSystemStatistics st) == 0 && st.Type == 0xEF53 ? "ext2" : "unknown",
    };

    /// <summary>Live threads that are running (not waiting in a blocking call), and all live threads.</summary>
    public static (int Running, int Total) Threads(ProcessTable processes)
    {
        int running = 0, total = 0;
        foreach (LinuxProcess p in processes.All)
            foreach (LinuxThread t in p.Threads)
            {
                if (t.Strand.HasExited) continue;
                total++;
                if (!t.Strand.RestartingSyscall && !t.Strand.Suspended) running++;
            }
        return (running, total);
    }

    // "12.34" from 1234 hundredths.
    private static string Hundredths(long hundredths) => $"{hundredths / 100}.{hundredths % 100:D2}";
}

/// <summary>
/// Linux's load averages (kernel/sched/loadavg.c): three exponentially decaying averages of the number of
/// running threads over 1, 5 and 15 minutes, in fixed point with 11 fraction bits, advanced once per 5 s
/// interval. Here an interval is applied when the loads are read, with the count running at that moment.
/// </summary>
internal sealed class LoadAverage
{
    /// <summary>Fraction bits of the fixed-point loads (FSHIFT).</summary>
    public const int FractionBits = 11;
    private const long One = 1 << FractionBits;
    private const long IntervalNs = 5_000_000_000;
    private const long MaxIntervals = 4096;   // past this many, the 15-minute average has converged
    private static readonly long[] Decay = [1884, 2014, 2037];   // EXP_1, EXP_5, EXP_15

    private readonly long[] _loads = new long[3];
    private long _lastNs;

    /// <summary>Advances the averages to <paramref name="nowNs"/> (since boot) with <paramref name="running"/> threads; returns them (fixed point).</summary>
    public long[] Sample(long nowNs, int running)
    {
        long intervals = Math.Max(0, (nowNs - _lastNs) / IntervalNs);
        _lastNs = intervals > MaxIntervals ? nowNs : _lastNs + intervals * IntervalNs;
        long active = running * One;
        for (long i = 0; i < Math.Min(intervals, MaxIntervals); i++)
            for (int k = 0; k < 3; k++)
            {
                long load = _loads[k] * Decay[k] + active * (One - Decay[k]);
                if (active >= _loads[k]) load += One - 1;
                _loads[k] = load / One;
            }
        return _loads;
    }

    /// <summary>"0.42": a fixed-point load rounded to hundredths as Linux's LOAD_INT / LOAD_FRAC print it.</summary>
    public static string Format(long load)
    {
        long a = load + One / 200;
        return $"{a >> FractionBits}.{((a & (One - 1)) * 100) >> FractionBits:D2}";
    }
}
