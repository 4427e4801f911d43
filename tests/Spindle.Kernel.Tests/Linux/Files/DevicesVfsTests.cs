using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>/dev: null, zero, urandom, tty and the directory itself.</summary>
public sealed class DevicesVfsTests
{
    private readonly MemoryRootFixture _m = new();
    private static ulong U(long v) => (ulong)v;

    [Fact]
    public void NullSwallowsWritesAndEndsReads()
    {
        long fd = _m.Open("/dev/null", 2);
        Assert.Equal(5, _m.WriteText(fd, "lost!"));
        Assert.Equal("", _m.ReadText(fd));
        Assert.Equal((1ul << 8) | 3, RdevOf("/dev/null"));
        Assert.Equal(0x21b6, _m.Stat("/dev/null").Mode);
    }

    [Fact]
    public void ZeroGivesZerosAndUrandomGivesEntropy()
    {
        _m.S.CopyOut(_m.Page(6), new byte[] { 9, 9, 9, 9 });
        long zero = _m.Open("/dev/zero", 0);
        Assert.Equal(4, _m.Call(Sys.read, U(zero), _m.Page(6), 4));
        Assert.Equal(new byte[4], _m.S.Get(_m.Page(6), 4));
        long random = _m.Open("/dev/urandom", 0);
        Assert.Equal(4, _m.Call(Sys.read, U(random), _m.Page(6), 4));
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, _m.S.Get(_m.Page(6), 4)); // CountingEntropy's stream
        Assert.Equal(-Errno.EBADF, _m.WriteText(zero, "x"));                   // opened read-only
    }

    [Fact]
    public void TtyIsTheConsole()
    {
        _m.Console.Input = "typed"u8.ToArray();
        long tty = _m.Open("/dev/tty", 2);
        Assert.Equal(3, _m.WriteText(tty, "hey"));
        Assert.Equal("hey", _m.Console.OutText);
        Assert.Equal("typed", _m.ReadText(tty));
        Assert.Equal(-Errno.ESPIPE, _m.Call(Sys.lseek, U(tty), 0, 0));
        Assert.Equal(-Errno.ENOTTY, _m.Call(Sys.ioctl, U(tty), LinuxAbi.TCGETS, _m.Page(6))); // the fake console is not a terminal
    }

    [Fact]
    public void TheDeviceDirectoryListsAndRefusesChanges()
    {
        long dev = _m.Open("/dev", LinuxAbi.O_DIRECTORY);
        Assert.Equal([".", "..", "console", "null", "random", "tty", "urandom", "zero"], _m.List(dev));
        Assert.Equal(-Errno.EROFS, _m.Open("/dev/new", 0x41));
        Assert.Equal(-Errno.EROFS, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/dev/null"), 0));
        Assert.Equal(-Errno.ENOENT, _m.Open("/dev/sda", 0));
        Assert.Equal(-Errno.ENOTDIR, _m.Open("/dev/null/x", 0));
        Assert.Equal(0, _m.Call(Sys.chdir, _m.Str("/dev")));
        Assert.Equal("/dev", _m.Cwdir());
        Assert.Equal(0x21b6, _m.Stat("null").Mode);
        Assert.Equal(0x41ed, _m.Stat("..").Mode);                   // ".." leaves the mount for the root
    }

    private ulong RdevOf(string path)
    {
        Assert.Equal(0, _m.Call(Sys.newfstatat, MemoryRootFixture.Cwd, _m.Str(path), _m.Page(4), 0));
        return BinaryPrimitives.ReadUInt64LittleEndian(_m.S.Get(_m.Page(4) + 32, 8));
    }
}
