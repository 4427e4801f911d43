using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Kernel.Tests.Linux.Files;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.PhysAddr;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>
/// /proc's system files (meminfo, cpuinfo, uptime, loadavg, stat, version, filesystems, mounts), a process's
/// fd/, cwd and environ, and sysinfo, in Linux's formats and with the figures of the system under them.
/// </summary>
public sealed class ProcFsSystemTests
{
    private readonly FakeFrames _frames = new(total: 131072, free: 100000);
    private readonly MemoryRootFixture _m;

    public ProcFsSystemTests() => _m = new MemoryRootFixture(memory: _frames);

    private string Cat(string path) => _m.Cat(path);

    private string ReadLink(string path)
    {
        long n = _m.Call(Sys.readlinkat, MemoryRootFixture.Cwd, _m.Str(path), _m.Page(2), 256);
        return n < 0 ? $"errno {-n}" : Encoding.UTF8.GetString(_m.S.Get(_m.Page(2), (int)n));
    }

    [Fact]
    public void MeminfoHasTheFramesInLinuxsColumns()
    {
        string[] lines = Cat("/proc/meminfo").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("MemTotal:         524288 kB", lines[0]);
        Assert.Equal("MemFree:          400000 kB", lines[1]);
        Assert.Equal("MemAvailable:     400000 kB", lines[2]);
        foreach (string line in lines) Assert.Matches(@"^[A-Za-z]+: +\d+ kB$", line);
        foreach (string line in lines) Assert.Equal(27, line.Length);   // "%-16s%8lu kB" for values under 10^8 kB
        Assert.Contains(lines, l => l.StartsWith("SwapTotal:"));
        _frames.Free = 5;
        Assert.StartsWith("MemTotal:         524288 kB\nMemFree:              20 kB\n", Cat("/proc/meminfo"));
    }

    [Fact]
    public void SysinfoReportsTheSameMemoryInBytes()
    {
        Assert.Equal(0, _m.Call(Sys.sysinfo, _m.Page(1)));
        byte[] info = _m.S.Get(_m.Page(1), 112);
        Assert.Equal(131072UL * 4096, BinaryPrimitives.ReadUInt64LittleEndian(info.AsSpan(32)));
        Assert.Equal(100000UL * 4096, BinaryPrimitives.ReadUInt64LittleEndian(info.AsSpan(40)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(104)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(80)));   // procs
    }

    [Fact]
    public void UptimeLoadavgStatAndVersionHaveLinuxsShapes()
    {
        Assert.Matches(@"^\d+\.\d\d \d+\.\d\d\n$", Cat("/proc/uptime"));
        Assert.Matches(@"^\d+\.\d\d \d+\.\d\d \d+\.\d\d 1/1 1234\n$", Cat("/proc/loadavg"));
        string stat = Cat("/proc/stat");
        Assert.StartsWith("cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 ", stat);
        Assert.Contains("\nbtime 1700000000\n", stat);   // the fixed clock's realtime, less no uptime
        Assert.Contains("\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n", stat);
        Assert.Equal("Linux version 6.8.0-spindle (spindle@spindle) (Spindle Linux personality) #1 SMP Spindle\n", Cat("/proc/version"));
        Assert.Contains("isa\t\t: rv64imafdc", Cat("/proc/cpuinfo"));
        Assert.Contains("nodev\tproc\n", Cat("/proc/filesystems"));
    }

    [Fact]
    public void LoadAveragesDecayAsLinuxsFixedPoint()
    {
        var load = new LoadAverage();
        Assert.Equal("0.00", LoadAverage.Format(load.Sample(4_999_999_999, 3)[0]));   // no interval has passed
        long[] once = load.Sample(5_000_000_000, 3);
        Assert.Equal(["0.24", "0.05", "0.02"], once.Select(LoadAverage.Format));   // Linux after one 5 s tick with 3 running
        long[] settled = load.Sample(36000L * 1_000_000_000, 2);
        Assert.Equal(["2.00", "2.00", "2.00"], settled.Select(LoadAverage.Format));
        Assert.Equal(["2.00", "2.00", "2.00"], load.Sample(36000L * 1_000_000_000, 0).Select(LoadAverage.Format));   // same instant: unchanged
    }

    [Fact]
    public void MountsListsTheRootAndEveryMountWithEscapes()
    {
        Assert.Equal(0, _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/my dir"), 0x1ff));
        Assert.Equal(0, _m.Personality.Mount("/my dir"u8, new MemoryFs(new FixedClock())));
        Assert.Equal("tmpfs / tmpfs rw 0 0\ndevtmpfs /dev devtmpfs rw 0 0\nproc /proc proc rw 0 0\ntmpfs /my\\040dir tmpfs rw 0 0\n", Cat("/proc/mounts"));
    }

    [Fact]
    public void FdLinksNameTheFilesAndFollowTheTable()
    {
        long file = _m.Open("/notes", LinuxAbi.O_CREAT | 1);
        Assert.Equal(3, file);
        Assert.Equal(0, _m.Call(Sys.pipe2, _m.Page(1), 0));
        int reader = BinaryPrimitives.ReadInt32LittleEndian(_m.S.Get(_m.Page(1), 4));
        Assert.Equal([".", "..", "0", "1", "2", "3", "4", "5"], _m.List(_m.Open("/proc/self/fd", LinuxAbi.O_DIRECTORY)).Take(8));
        Assert.Equal("/dev/console", ReadLink("/proc/self/fd/0"));
        Assert.Equal("/notes", ReadLink("/proc/1234/fd/3"));
        Assert.Matches(@"^pipe:\[\d+\]$", ReadLink($"/proc/self/fd/{reader}"));
        Assert.Equal(0, _m.Call(Sys.close, (ulong)file));
        Assert.Equal($"errno {Errno.ENOENT}", ReadLink("/proc/self/fd/3"));
        Assert.Equal(0xa000, _m.Stat("/proc/self/fd/1", LinuxAbi.AT_SYMLINK_NOFOLLOW).Mode & 0xf000);
        Assert.Equal("x", WriteThroughLink("/proc/self/fd/1"));
    }

    // Opening a descriptor's link opens the file it names (the console here): what `echo x > /proc/self/fd/1` does.
    private string WriteThroughLink(string path)
    {
        long fd = _m.Open(path, 1);
        Assert.True(fd >= 0, $"open {path} = {fd}");
        Assert.Equal(1, _m.WriteText(fd, "x"));
        return Encoding.UTF8.GetString(_m.Console.Out.ToArray());
    }

    [Fact]
    public void CwdFollowsChdirAndEnvironIsEmptyForTheFirstProcess()
    {
        Assert.Equal("/", ReadLink("/proc/self/cwd"));
        Assert.Equal(0, _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/work"), 0x1ff));
        Assert.Equal(0, _m.Call(Sys.chdir, _m.Str("/work")));
        Assert.Equal("/work", ReadLink("/proc/1234/cwd"));
        Assert.Equal("", Cat("/proc/self/environ"));
        Assert.Equal("0 0 0 0 0 0 0\n", Cat("/proc/self/statm"));
    }

    [Fact]
    public void WildNamesUnderProcAnswerErrorsAndNothingBreaks()
    {
        var random = new Random(1313);
        string[] dirs = ["/proc/", "/proc/1234/", "/proc/self/fd/", "/proc/self/", "/proc/meminfo/"];
        const string alphabet = "0123456789abcdefself/.-\u00e9";
        for (int i = 0; i < 2000; i++)
        {
            var name = new StringBuilder(dirs[random.Next(dirs.Length)]);
            for (int n = random.Next(1, 12); n > 0; n--) name.Append(alphabet[random.Next(alphabet.Length)]);
            long fd = _m.Open(name.ToString(), random.Next(4) == 0 ? 2 : 0);
            if (fd >= 0) Assert.Equal(0, _m.Call(Sys.close, (ulong)fd));
            else Assert.Contains(-fd, new long[] { Errno.ENOENT, Errno.ENOTDIR, Errno.EACCES, Errno.EISDIR, Errno.ELOOP, Errno.ENAMETOOLONG });
        }
        Assert.StartsWith("MemTotal:", Cat("/proc/meminfo"));
    }

    /// <summary>Frame counts only: what /proc reads of the PhysAddr service.</summary>
    private sealed class FakeFrames(uint total, uint free) : IPhysAddrService
    {
        public uint Free = free;
        public uint FreeFrames => Free;
        public uint TotalFrames => total;
        public uint LowWater => 0;
        public Event<ReclaimRequest, PhysFrame?> Reclaim => throw new NotSupportedException();
        public IReadOnlyList<PhysFrame>? Allocate(int pages, FrameAttributes attributes = FrameAttributes.None) => null;
        public void Deallocate(PhysFrame frame) { }
        public bool Read(PhysFrame frame, int offset, Span<byte> dest) => false;
        public bool Write(PhysFrame frame, int offset, ReadOnlySpan<byte> src) => false;
    }
}
