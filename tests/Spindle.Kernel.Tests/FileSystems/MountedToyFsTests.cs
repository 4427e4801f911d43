using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Kernel.Tests.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.FileSystems;

/// <summary>
/// A file system written against the Sdk only (<see cref="ToyFs"/>), mounted by the personality at
/// /toy and used through the system calls.
/// </summary>
public sealed class MountedToyFsTests
{
    private readonly MemoryRootFixture _m = new();
    private readonly ToyFs _toy = new();
    private static ulong U(long v) => unchecked((ulong)v);
    private static readonly ulong Cwd = MemoryRootFixture.Cwd;

    public MountedToyFsTests() => Assert.Equal(0, _m.Personality.Mount("/toy"u8, _toy));

    private long Rename(string from, string to, int flags = 0) =>
        _m.Call(Sys.renameat2, Cwd, _m.Str(from, 0), Cwd, _m.Str(to, 1), (ulong)flags);

    [Fact]
    public void FilesAreMadeWrittenReadListedAndRenamedThroughTheSystemCalls()
    {
        long fd = _m.Open("/toy/f", LinuxAbi.O_CREAT | 2);
        Assert.True(fd >= 0, $"open = {fd}");
        Assert.Equal(5, _m.WriteText(fd, "hello"));
        Assert.Equal(0, _m.Call(Sys.lseek, U(fd), 0, 0));
        Assert.Equal("hello", _m.ReadText(fd));
        Assert.Equal(0, _m.Call(Sys.close, U(fd)));

        Assert.Equal(0, _m.Call(Sys.mkdirat, Cwd, _m.Str("/toy/d"), 0x1ed));
        Assert.Equal(0, Rename("/toy/f", "/toy/d/g"));
        Assert.Equal(-Errno.ENOENT, _m.Stat("/toy/f").Mode);
        var st = _m.Stat("/toy/d/g");
        Assert.Equal(0x81a4, st.Mode);
        Assert.Equal(5, st.Size);
        Assert.Equal(0, _toy.Root.Lookup("d"u8, out var d));                    // it is the toy's
        Assert.Equal(0, d!.Lookup("g"u8, out var g));
        Assert.Equal(g!.Inode, st.Inode);

        long dir = _m.Open("/toy/d", LinuxAbi.O_DIRECTORY);
        Assert.Equal([".", "..", "g"], _m.List(dir));
        long top = _m.Open("/toy", LinuxAbi.O_DIRECTORY);
        Assert.Equal([".", "..", "d"], _m.List(top));

        fd = _m.Open("/toy/d/g", LinuxAbi.O_APPEND | 1);
        Assert.Equal(3, _m.WriteText(fd, "!!!"));
        Assert.Equal(8, _m.Stat("/toy/d/g").Size);
    }

    [Fact]
    public void LinkatGivesAFileASecondName()
    {
        long fd = _m.Open("/toy/f", LinuxAbi.O_CREAT | 1);
        Assert.Equal(5, _m.WriteText(fd, "hello"));
        Assert.Equal(0, _m.Call(Sys.mkdirat, Cwd, _m.Str("/toy/d"), 0x1ed));
        Assert.Equal(0, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/f", 0), Cwd, _m.Str("/toy/d/g", 1), 0));
        var (f, g) = (_m.Stat("/toy/f"), _m.Stat("/toy/d/g"));
        Assert.Equal(f.Inode, g.Inode);
        Assert.Equal(2u, g.Links);
        Assert.Equal(0, _m.Call(Sys.unlinkat, Cwd, _m.Str("/toy/f"), 0));
        Assert.Equal(1u, _m.Stat("/toy/d/g").Links);
        Assert.Equal("hello", _m.ReadText(_m.Open("/toy/d/g", 0)));

        Assert.Equal(-Errno.EEXIST, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/d/g", 0), Cwd, _m.Str("/toy/d/g", 1), 0));
        Assert.Equal(-Errno.EPERM, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/d", 0), Cwd, _m.Str("/toy/e", 1), 0));
        Assert.Equal(-Errno.ENOENT, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/none", 0), Cwd, _m.Str("/toy/e", 1), 0));
        Assert.Equal(-Errno.EXDEV, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/d/g", 0), Cwd, _m.Str("/elsewhere", 1), 0));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/d/g", 0), Cwd, _m.Str("/toy/h", 1), 1));
        Assert.Equal(0, _m.Call(Sys.linkat, Cwd, _m.Str("/toy/d/g", 0), Cwd, _m.Str("/toy/h", 1), LinuxAbi.AT_SYMLINK_FOLLOW));
        Assert.Equal(2u, _m.Stat("/toy/h").Links);
    }

    [Fact]
    public void ALargeDirectoryIsListedInSeveralGetdentsCalls()
    {
        for (int i = 0; i < 300; i++) _m.Call(Sys.close, U(_m.Open($"/toy/a-rather-long-file-name-{i:000}", LinuxAbi.O_CREAT | 1)));
        long dir = _m.Open("/toy", LinuxAbi.O_DIRECTORY);
        List<string> names = _m.List(dir);                                      // 4096-byte calls: many of them
        Assert.Equal(302, names.Count);
        Assert.Equal(302, names.Distinct().Count());
        Assert.Equal(0, _m.Call(Sys.lseek, U(dir), 0, 0));
        Assert.Equal(names, _m.List(dir));
    }

    [Fact]
    public void TheMountIsItsOwnFileSystem()
    {
        _m.Call(Sys.close, U(_m.Open("/toy/f", LinuxAbi.O_CREAT | 1)));
        Assert.Equal(-Errno.EXDEV, Rename("/toy/f", "/tmp-f"));
        Assert.Equal(-Errno.EBUSY, Rename("/toy", "/elsewhere"));
        Assert.Equal(-Errno.EBUSY, _m.Call(Sys.unlinkat, Cwd, _m.Str("/toy"), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(0, _m.Call(Sys.mkdirat, Cwd, _m.Str("/toy/x"), 0x1ed));
        Assert.Equal(0, _m.Call(Sys.mkdirat, Cwd, _m.Str("/toy/x/y"), 0x1ed));
        Assert.Equal(-Errno.EINVAL, Rename("/toy/x", "/toy/x/y/z"));
        Assert.Equal(-Errno.ENOENT, _m.Personality.Mount("/no/such"u8, new ToyFs()));
    }
}
