using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>dup, dup3, fcntl, close-on-exec, and the working directory calls.</summary>
public sealed class DescriptorVfsTests
{
    private readonly MemoryRootFixture _m = new();
    private static ulong U(long v) => (ulong)v;

    [Fact]
    public void DupSharesTheOffsetAndTakesTheLowestFreeDescriptor()
    {
        long fd = _m.Open("/f", 2 | LinuxAbi.O_CREAT);
        _m.WriteText(fd, "abcdef");
        _m.Call(Sys.lseek, U(fd), 0, 0);
        long copy = _m.Call(Sys.dup, U(fd));
        Assert.Equal(fd + 1, copy);
        Assert.Equal("ab", _m.ReadText(fd, 2));
        Assert.Equal("cd", _m.ReadText(copy, 2));               // one offset for both
        Assert.Equal(0, _m.Call(Sys.close, U(fd)));
        Assert.Equal("ef", _m.ReadText(copy, 2));                // the description outlives one close
        Assert.Equal(fd, _m.Call(Sys.dup, U(copy)));         // the freed number is reused
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.dup, 500));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.dup, U(-1)));
    }

    [Fact]
    public void Dup3ReplacesTheTargetAndValidates()
    {
        long fd = _m.Open("/f", 2 | LinuxAbi.O_CREAT);
        Assert.Equal(10, _m.Call(Sys.dup3, U(fd), 10, LinuxAbi.O_CLOEXEC));
        Assert.Equal(FileAbi.FD_CLOEXEC, _m.Call(Sys.fcntl, 10, FileAbi.F_GETFD));
        Assert.Equal(1, _m.Call(Sys.dup3, U(fd), 1, 0));     // redirect stdout to the file
        Assert.Equal(3, _m.WriteText(1, "out"));
        Assert.Equal("", _m.Console.OutText);
        Assert.Equal(3, _m.Stat("/f").Size);
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.dup3, U(fd), U(fd), 0));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.dup3, U(fd), 11, 0x40));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.dup3, 99, 11, 0));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.dup3, U(fd), 5000, 0));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.dup3, U(fd), U(-5), 0));
    }

    [Fact]
    public void FcntlDuplicatesAtOrAboveAndSetsFlags()
    {
        long fd = _m.Open("/f", 1 | LinuxAbi.O_CREAT | LinuxAbi.O_CLOEXEC);
        Assert.Equal(FileAbi.FD_CLOEXEC, _m.Call(Sys.fcntl, U(fd), FileAbi.F_GETFD));
        Assert.Equal(0, _m.Call(Sys.fcntl, U(fd), FileAbi.F_SETFD, 0));
        Assert.Equal(0, _m.Call(Sys.fcntl, U(fd), FileAbi.F_GETFD));
        Assert.Equal(20, _m.Call(Sys.fcntl, U(fd), FileAbi.F_DUPFD, 20));
        Assert.Equal(21, _m.Call(Sys.fcntl, U(fd), FileAbi.F_DUPFD_CLOEXEC, 20));
        Assert.Equal(FileAbi.FD_CLOEXEC, _m.Call(Sys.fcntl, 21, FileAbi.F_GETFD));
        Assert.Equal(0, _m.Call(Sys.fcntl, 20, FileAbi.F_GETFD));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.fcntl, U(fd), FileAbi.F_DUPFD, 1024));
        Assert.Equal(1, _m.Call(Sys.fcntl, U(fd), FileAbi.F_GETFL));
        Assert.Equal(0, _m.Call(Sys.fcntl, U(fd), FileAbi.F_SETFL, LinuxAbi.O_APPEND | LinuxAbi.O_NONBLOCK | 2));
        Assert.Equal(1 | LinuxAbi.O_APPEND | LinuxAbi.O_NONBLOCK, _m.Call(Sys.fcntl, U(fd), FileAbi.F_GETFL)); // access mode unchanged
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.fcntl, U(fd), 9999));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.fcntl, 77, FileAbi.F_GETFL));
    }

    [Fact]
    public void AppendSetByFcntlMovesWritesToTheEnd()
    {
        long fd = _m.Open("/f", 2 | LinuxAbi.O_CREAT);
        _m.WriteText(fd, "1234");
        _m.Call(Sys.lseek, U(fd), 0, 0);
        _m.Call(Sys.fcntl, U(fd), FileAbi.F_SETFL, LinuxAbi.O_APPEND);
        _m.WriteText(fd, "5");
        Assert.Equal(5, _m.Stat("/f").Size);
    }

    [Fact]
    public void ExecClosesCloseOnExecDescriptorsOnly()
    {
        long keep = _m.Open("/a", 1 | LinuxAbi.O_CREAT);
        long drop = _m.Open("/b", 1 | LinuxAbi.O_CREAT | LinuxAbi.O_CLOEXEC);
        _m.Process.Files.CloseOnExec();
        Assert.NotNull(_m.Process.Get(keep));
        Assert.Null(_m.Process.Get(drop));
        Assert.NotNull(_m.Process.Get(1));
    }

    [Fact]
    public void ForkClonesTheTableAndThreadsShareIt()
    {
        long fd = _m.Open("/f", 2 | LinuxAbi.O_CREAT | LinuxAbi.O_CLOEXEC);
        _m.Call(Sys.chdir, _m.Str("/dev"));
        FileTable table = _m.Process.Files;
        FileTable child = table.Clone();
        Assert.Same(table.Get(fd), child.Get(fd));                   // one description, one offset
        Assert.Equal(FileAbi.FD_CLOEXEC, child.GetDescriptorFlags((int)fd));
        Assert.Same(table.Cwd, child.Cwd);
        child.Close(fd);
        Assert.NotNull(table.Get(fd));                               // the parent's descriptor is its own
        Assert.Same(table, table.Share());
        table.Drop();                                                // one user left: still open
        Assert.NotNull(table.Get(fd));
        table.Drop();                                                // the last user closes everything
        Assert.Null(table.Get(fd));
        Assert.Null(table.Get(1));
        Assert.Equal(-Errno.EBADF, table.Close(fd));
    }

    [Fact]
    public void TheDescriptorLimitBoundsNewDescriptors()
    {
        _m.Process.Limits[LinuxAbi.RLIMIT_NOFILE] = (5, 1024);
        Assert.Equal(3, _m.Open("/a", 1 | LinuxAbi.O_CREAT));
        Assert.Equal(4, _m.Open("/a", 1));
        Assert.Equal(-Errno.EMFILE, _m.Open("/a", 1));
        Assert.Equal(-Errno.EMFILE, _m.Call(Sys.dup, 3));
        Assert.Equal(-Errno.EMFILE, _m.Call(Sys.pipe2, _m.Page(1), 0));
    }

    [Fact]
    public void ChdirMovesTheWorkingDirectoryAndGetcwdReportsIt()
    {
        Assert.Equal("/", _m.Cwdir());
        _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/home"), 0x1ed);
        _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/home/u"), 0x1ed);
        _m.Call(Sys.symlinkat, _m.Str("/home/u"), MemoryRootFixture.Cwd, _m.Str("/me", 1));
        Assert.Equal(0, _m.Call(Sys.chdir, _m.Str("/me")));
        Assert.Equal("/home/u", _m.Cwdir());                          // the physical path
        _m.Call(Sys.close, U(_m.Open("here", 0x41)));                  // relative to the new cwd
        Assert.Equal(0x81a4, _m.Stat("/home/u/here").Mode);
        Assert.Equal(0, _m.Call(Sys.chdir, _m.Str("..")));
        Assert.Equal("/home", _m.Cwdir());
        long dir = _m.Open("/home/u", LinuxAbi.O_DIRECTORY);
        Assert.Equal(0, _m.Call(Sys.fchdir, U(dir)));
        Assert.Equal("/home/u", _m.Cwdir());
        Assert.Equal(-Errno.ENOTDIR, _m.Call(Sys.chdir, _m.Str("here")));
        Assert.Equal(-Errno.ENOENT, _m.Call(Sys.chdir, _m.Str("nope")));
        Assert.Equal(-Errno.ENOTDIR, _m.Call(Sys.fchdir, U(_m.Open("here", 0))));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.fchdir, 300));
        Assert.Equal(-Errno.ERANGE, _m.Call(Sys.getcwd, _m.Page(5), 7));
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.getcwd, 0x7000_0000, 100));
    }

    [Fact]
    public void AtCallsResolveRelativeToTheirDirectoryDescriptor()
    {
        _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/d"), 0x1ed);
        long dir = _m.Open("/d", LinuxAbi.O_DIRECTORY);
        long file = _m.Call(Sys.openat, U(dir), _m.Str("f"), 0x41, 0x1a4);
        Assert.True(file > 0);
        Assert.Equal(0x81a4, _m.Stat("/d/f").Mode);
        Assert.Equal(-Errno.ENOTDIR, _m.Call(Sys.openat, U(file), _m.Str("x"), 0));
        Assert.Equal(0, _m.Call(Sys.newfstatat, U(file), _m.Str(""), _m.Page(4), LinuxAbi.AT_EMPTY_PATH));
        Assert.Equal(-Errno.ENOENT, _m.Call(Sys.newfstatat, U(file), _m.Str(""), _m.Page(4), 0));
        Assert.Equal(0, _m.Call(Sys.faccessat, U(dir), _m.Str("f"), 6));
        Assert.Equal(-Errno.EACCES, _m.Call(Sys.faccessat, U(dir), _m.Str("f"), 1)); // not executable
    }
}
