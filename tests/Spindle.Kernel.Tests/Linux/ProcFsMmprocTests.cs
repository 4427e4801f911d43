using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Tests.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>/proc: the process directories, their stat, status and cmdline text, self, and read-only answers.</summary>
public sealed class ProcFsMmprocTests
{
    private const long FileAbiLink = 0xa000; // S_IFLNK
    private readonly MemoryRootFixture _m = new();

    private string Cat(string path) => _m.Cat(path);

    [Fact]
    public void TheRootListsSelfAndEveryPid()
    {
        _m.Personality.CreateProcess(new ProcessIdentity(77, 1234, 0, 0), "/bin/other", "/", LinuxFixture.BrkStart, LinuxFixture.MapBase, LinuxFixture.MapLimit);
        long fd = _m.Open("/proc", LinuxAbi.O_DIRECTORY);
        Assert.Equal([".", "..", "self", "cpuinfo", "filesystems", "loadavg", "meminfo", "mounts", "stat", "uptime", "version", "77", "1234"], _m.List(fd));
        Assert.Equal([".", "..", "cmdline", "cwd", "environ", "exe", "fd", "stat", "statm", "status"], _m.List(_m.Open("/proc/77", LinuxAbi.O_DIRECTORY)));
    }

    [Fact]
    public void StatHasLinuxFieldsInOrder()
    {
        string stat = Cat("/proc/1234/stat");
        Assert.StartsWith("1234 (prog) R 1 1234 1234 0 -1 ", stat);
        Assert.EndsWith("\n", stat);
        Assert.Equal(52, stat.TrimEnd('\n').Split(' ').Length);
        Assert.Equal("1", stat.Split(' ')[19]); // num_threads
    }

    [Fact]
    public void StatusAndCmdlineDescribeTheProcess()
    {
        string status = Cat("/proc/1234/status");
        Assert.StartsWith("Name:\tprog\nUmask:\t0022\nState:\tR (running)\nTgid:\t1234\nNgid:\t0\nPid:\t1234\nPPid:\t1\n", status);
        Assert.Contains("Uid:\t1000\t1000\t1000\t1000\n", status);
        Assert.Contains("\nThreads:\t1\n", status);
        Assert.EndsWith("SigCgt:\t0000000000000000\n", status);
        Assert.Equal("/bin/prog\0", Cat("/proc/1234/cmdline"));
    }

    [Fact]
    public void SelfIsALinkToTheCallersDirectory()
    {
        long n = _m.Call(Sys.readlinkat, MemoryRootFixture.Cwd, _m.Str("/proc/self"), _m.Page(2), 64);
        Assert.Equal("1234", Encoding.ASCII.GetString(_m.S.Get(_m.Page(2), (int)n)));
        Assert.StartsWith("1234 (prog)", Cat("/proc/self/stat"));
        Assert.Equal(FileAbiLink, _m.Stat("/proc/self", LinuxAbi.AT_SYMLINK_NOFOLLOW).Mode & 0xf000);
    }

    [Fact]
    public void AZombieShowsStateZAndAnEmptyCmdline()
    {
        var z = _m.Personality.CreateProcess(new ProcessIdentity(90, 1234, 0, 0), "/bin/gone", "/", LinuxFixture.BrkStart, LinuxFixture.MapBase, LinuxFixture.MapLimit);
        z.Zombie = true;
        Assert.StartsWith("90 (gone) Z 1234 ", Cat("/proc/90/stat"));
        Assert.Equal("", Cat("/proc/90/cmdline"));
    }

    [Fact]
    public void ProcIsReadOnlyAndUnknownNamesAreMissing()
    {
        Assert.Equal(-Errno.EACCES, _m.Open("/proc/1234/stat", 1));
        Assert.Equal(-Errno.EACCES, _m.Open("/proc/1234/status", 2));
        Assert.Equal(-Errno.EISDIR, _m.Open("/proc/1234", 2));
        Assert.Equal(-Errno.ENOENT, _m.Open("/proc/999/stat", 0));
        Assert.Equal(-Errno.ENOENT, _m.Open("/proc/01234/stat", 0));
        Assert.Equal(-Errno.ENOENT, _m.Open("/proc/1234/maps", 0));
        Assert.Equal(-Errno.ENOTDIR, _m.Open("/proc/1234/stat/x", 0));
        Assert.True(_m.Open("/proc/new", LinuxAbi.O_CREAT | 1) < 0);
        Assert.True(_m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/proc/d"), 0x1ff) < 0);
        Assert.True(_m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/proc/1234"), LinuxAbi.AT_REMOVEDIR) < 0);
    }

    [Fact]
    public void PreadAndSeekWorkOnTheTextMadeAtOpen()
    {
        long fd = _m.Open("/proc/1234/status", 0);
        Assert.Equal(4, _m.Call(Sys.pread64, (ulong)fd, _m.Page(2), 4, 6));
        Assert.Equal("prog", Encoding.ASCII.GetString(_m.S.Get(_m.Page(2), 4)));
        Assert.Equal(6, _m.Call(Sys.lseek, (ulong)fd, 6, 0));
        Assert.StartsWith("prog\n", _m.ReadText(fd, 5));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.lseek, (ulong)fd, unchecked((ulong)-1L), 0));
        Assert.Equal(-Errno.ENODEV, _m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, LinuxAbi.MAP_PRIVATE, (ulong)fd, 0));
    }
}
