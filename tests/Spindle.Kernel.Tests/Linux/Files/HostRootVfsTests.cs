using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Services;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>The VFS over the host file system under a root (`spindle run --root`).</summary>
public sealed class HostRootVfsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spindle-vfs-host-").FullName;
    private readonly HostFileSystem _fs;
    private readonly FakeStrand _s = new() { Now = 1_000_000 };
    private readonly FakeConsole _console = new();
    private readonly LinuxPersonality _p;
    private readonly ulong _buf;
    private static readonly ulong Cwd = unchecked((ulong)LinuxAbi.AT_FDCWD);

    public HostRootVfsTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "d", "e"));
        File.WriteAllText(Path.Combine(_root, "d", "file"), "host bytes");
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "d/e/../../d");
        File.CreateSymbolicLink(Path.Combine(_root, "ping"), "/pong");
        File.CreateSymbolicLink(Path.Combine(_root, "pong"), "/ping");
        _fs = new HostFileSystem(_root);
        _p = FakeStrand.WithSlot(new LinuxPersonality(new LinuxServices(_fs, _console, new FixedClock(), new CountingEntropy())));
        _p.AdoptStrand(_s, _p.CreateProcess(new ProcessIdentity(10, 1, 1000, 1000), "/bin/x", "/", LinuxFixture.BrkStart, LinuxFixture.MapBase, LinuxFixture.MapLimit));
        _buf = _s.Scratch(0x10_0000, pages: 4);
    }

    public void Dispose()
    {
        _fs.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private long Call(int number, params ulong[] args)
    {
        _s.Number = (ulong)number;
        Array.Clear(_s.Args);
        args.CopyTo(_s.Args, 0);
        _p.Syscall(_s);
        Assert.False(_s.HasExited, "a file call ended the strand");
        return _s.Result;
    }

    private ulong Str(string s, int page = 0) => _s.PutString(_buf + (ulong)page * 4096, s);

    [Fact]
    public void DevicesAreMountedOverARootWithoutDev()
    {
        Assert.False(Directory.Exists(Path.Combine(_root, "dev")));
        long fd = Call(Sys.openat, Cwd, Str("/dev/null"), 2);
        Assert.True(fd >= 3, $"openat = {fd}");
        Assert.Equal(0, Call(Sys.read, (ulong)fd, _buf + 8192, 10));
    }

    [Fact]
    public void SymlinksOnTheHostAreResolvedByTheVfs()
    {
        long fd = Call(Sys.openat, Cwd, Str("/up/file"), 0);
        Assert.True(fd >= 3, $"openat = {fd}");
        Assert.Equal(10, Call(Sys.read, (ulong)fd, _buf + 8192, 100));
        Assert.Equal("host bytes", Encoding.ASCII.GetString(_s.Get(_buf + 8192, 10)));
        Assert.Equal(-Errno.ELOOP, Call(Sys.openat, Cwd, Str("/ping"), 0));
        Assert.Equal(-Errno.ENOTDIR, Call(Sys.openat, Cwd, Str("/d/file/x"), 0));
    }

    [Fact]
    public void ChdirAndCreateWorkOnTheHost()
    {
        Assert.Equal(0, Call(Sys.chdir, Str("/up/e")));
        Assert.Equal(5, Call(Sys.getcwd, _buf + 8192, 100));
        Assert.Equal("/d/e\0", Encoding.ASCII.GetString(_s.Get(_buf + 8192, 5)));
        long fd = Call(Sys.openat, Cwd, Str("new"), 0x41 | LinuxAbi.O_EXCL, 0x1a4);
        Assert.True(fd >= 3, $"openat = {fd}");
        Assert.True(File.Exists(Path.Combine(_root, "d", "e", "new")));
        Assert.Equal(-Errno.EEXIST, Call(Sys.openat, Cwd, Str("new"), 0x41 | LinuxAbi.O_EXCL, 0x1a4));
        Assert.Equal(0, Call(Sys.unlinkat, Cwd, Str("../e/new"), 0));
        Assert.False(File.Exists(Path.Combine(_root, "d", "e", "new")));
        Assert.Equal(0, Call(Sys.renameat2, Cwd, Str("/d/file"), Cwd, Str("/d/moved", 1), 0));
        Assert.True(File.Exists(Path.Combine(_root, "d", "moved")));
        Assert.False(File.Exists(Path.Combine(_root, "d", "file")));
    }
}
