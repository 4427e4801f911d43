using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Kernel.Services;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>The memory file system through the system calls, and populating it from a host folder.</summary>
public sealed class MemoryFsVfsTests
{
    private readonly MemoryRootFixture _m = new();
    private static ulong U(long v) => (ulong)v;

    [Fact]
    public void FilesAreCreatedWrittenReadAndStatted()
    {
        long fd = _m.Open("/f", 2 | LinuxAbi.O_CREAT | LinuxAbi.O_EXCL, 0x1a4);
        Assert.Equal(3, fd);
        Assert.Equal(5, _m.WriteText(fd, "hello"));
        Assert.Equal(1, _m.Call(Sys.lseek, U(fd), 1, 0));
        Assert.Equal("ello", _m.ReadText(fd));
        Assert.Equal("", _m.ReadText(fd));                      // end of file
        Assert.Equal(10, _m.Call(Sys.lseek, U(fd), 5, 1));       // past the end...
        Assert.Equal(1, _m.WriteText(fd, "!"));                  // ...leaves a gap of zeros
        var (mode, inode, links, size) = _m.Stat("/f");
        Assert.Equal(0x81a4, mode);
        Assert.Equal(1u, links);
        Assert.Equal(11, size);
        Assert.NotEqual(0ul, inode);
        Assert.Equal(-Errno.EEXIST, _m.Open("/f", 2 | LinuxAbi.O_CREAT | LinuxAbi.O_EXCL));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.lseek, U(fd), U(-20), 1));
        Assert.Equal(0, _m.Call(Sys.close, U(fd)));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.close, U(fd)));
    }

    [Fact]
    public void InodesDifferAndTimesComeFromTheClock()
    {
        _m.Call(Sys.close, U(_m.Open("/x", 0x41)));
        _m.Call(Sys.close, U(_m.Open("/y", 0x41)));
        Assert.NotEqual(_m.Stat("/x").Inode, _m.Stat("/y").Inode);
        Assert.Equal(0, _m.Call(Sys.newfstatat, MemoryRootFixture.Cwd, _m.Str("/x"), _m.Page(4), 0));
        long mtime = BitConverter.ToInt64(_m.S.Get(_m.Page(4) + 88, 8));
        Assert.Equal(new FixedClock().RealtimeNanoseconds / 1_000_000_000, mtime);
    }

    [Fact]
    public void AppendTruncateAndFtruncate()
    {
        long fd = _m.Open("/log", 1 | LinuxAbi.O_CREAT | LinuxAbi.O_APPEND);
        _m.WriteText(fd, "ab");
        _m.Call(Sys.lseek, U(fd), 0, 0);
        _m.WriteText(fd, "cd");
        Assert.Equal(4, _m.Stat("/log").Size);
        Assert.Equal(0, _m.Call(Sys.ftruncate, U(fd), 1));
        Assert.Equal(1, _m.Stat("/log").Size);
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.ftruncate, U(fd), U(-1)));
        long ro = _m.Open("/log", 0);
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.ftruncate, U(ro), 0));   // not open for writing
        Assert.Equal(-Errno.EBADF, _m.WriteText(ro, "x"));                      // writing a read-only fd
        Assert.Equal(0, _m.Call(Sys.truncate, _m.Str("/log"), 100));
        Assert.Equal(100, _m.Stat("/log").Size);
        _m.Call(Sys.close, U(_m.Open("/log", 1 | LinuxAbi.O_TRUNC)));
        Assert.Equal(0, _m.Stat("/log").Size);
        long wo = _m.Open("/log", 1);
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.read, U(wo), _m.Page(6), 1));   // reading a write-only fd
    }

    [Fact]
    public void DirectoriesMakeListRemoveAndCountLinks()
    {
        Assert.Equal(0, _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/d"), 0x1ed));
        Assert.Equal(0, _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/d/sub"), 0x1ed));
        _m.Call(Sys.close, U(_m.Open("/d/f", 0x41)));
        Assert.Equal(3u, _m.Stat("/d").Links);
        Assert.Equal(0x41ed, _m.Stat("/d").Mode);
        long dir = _m.Open("/d", LinuxAbi.O_DIRECTORY);
        Assert.Equal([".", "..", "f", "sub"], _m.List(dir));
        Assert.Equal(0, _m.Call(Sys.lseek, U(dir), 0, 0));
        Assert.Equal(4, _m.List(dir).Count);                                         // rewinds
        Assert.Equal(-Errno.EISDIR, _m.Call(Sys.read, U(dir), _m.Page(6), 1));
        Assert.Equal(-Errno.EISDIR, _m.Open("/d", 2));
        Assert.Equal(-Errno.ENOTDIR, _m.Open("/d/f", LinuxAbi.O_DIRECTORY));
        Assert.Equal(-Errno.ENOTEMPTY, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d"), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(-Errno.EISDIR, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d/sub"), 0));
        Assert.Equal(-Errno.ENOTDIR, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d/f"), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(0, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d/sub"), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(0, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d/f"), 0));
        Assert.Equal(2u, _m.Stat("/d").Links);
        Assert.Equal(-Errno.ENOENT, _m.Stat("/d/f").Mode);
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d/."), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(-Errno.EBUSY, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/"), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/d"), 0x1234));
    }

    [Fact]
    public void UnlinkedFilesStayReadableThroughOpenDescriptors()
    {
        long fd = _m.Open("/gone", 2 | LinuxAbi.O_CREAT);
        _m.WriteText(fd, "still here");
        Assert.Equal(0, _m.Call(Sys.unlinkat, MemoryRootFixture.Cwd, _m.Str("/gone"), 0));
        Assert.Equal(-Errno.ENOENT, _m.Open("/gone", 0));
        _m.Call(Sys.lseek, U(fd), 0, 0);
        Assert.Equal("still here", _m.ReadText(fd));
    }

    [Fact]
    public void RenameMovesReplacesAndRefuses()
    {
        _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, _m.Str("/d"), 0x1ed);
        long fd = _m.Open("/a", 0x41);
        _m.WriteText(fd, "A");
        _m.Call(Sys.close, U(_m.Open("/b", 0x41)));
        ulong cwd = MemoryRootFixture.Cwd;
        Assert.Equal(-Errno.EEXIST, _m.Call(Sys.renameat2, cwd, _m.Str("/a"), cwd, _m.Str("/b", 1), FileAbi.RENAME_NOREPLACE));
        Assert.Equal(0, _m.Call(Sys.renameat2, cwd, _m.Str("/a"), cwd, _m.Str("/b", 1), 0));
        Assert.Equal(1, _m.Stat("/b").Size);
        Assert.Equal(-Errno.ENOENT, _m.Stat("/a").Mode);
        Assert.Equal(0, _m.Call(Sys.renameat2, cwd, _m.Str("/b"), cwd, _m.Str("/d/c", 1), 0));
        Assert.Equal(1, _m.Stat("/d/c").Size);
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.renameat2, cwd, _m.Str("/d"), cwd, _m.Str("/d/inside", 1), 0));
        Assert.Equal(-Errno.EISDIR, _m.Call(Sys.renameat2, cwd, _m.Str("/d/c"), cwd, _m.Str("/d", 1), 0));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.renameat2, cwd, _m.Str("/d/c"), cwd, _m.Str("/e", 1), FileAbi.RENAME_EXCHANGE));
        Assert.Equal(-Errno.ENOENT, _m.Call(Sys.renameat2, cwd, _m.Str("/nope"), cwd, _m.Str("/e", 1), 0));
    }

    [Fact]
    public void SymlinksAreMadeReadAndFollowed()
    {
        _m.Call(Sys.close, U(_m.Open("/target", 0x41)));
        ulong cwd = MemoryRootFixture.Cwd;
        Assert.Equal(0, _m.Call(Sys.symlinkat, _m.Str("target"), cwd, _m.Str("/link", 1)));
        Assert.Equal(0xa1ff, _m.Stat("/link", LinuxAbi.AT_SYMLINK_NOFOLLOW).Mode);
        Assert.Equal(0x81a4, _m.Stat("/link").Mode);
        Assert.Equal(6, _m.Call(Sys.readlinkat, cwd, _m.Str("/link"), _m.Page(6), 100));
        Assert.Equal("target", Encoding.UTF8.GetString(_m.S.Get(_m.Page(6), 6)));
        Assert.Equal(3, _m.Call(Sys.readlinkat, cwd, _m.Str("/link"), _m.Page(6), 3)); // truncated
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.readlinkat, cwd, _m.Str("/target"), _m.Page(6), 100));
        Assert.Equal(-Errno.ELOOP, _m.Open("/link", LinuxAbi.O_NOFOLLOW));
        Assert.Equal(-Errno.EEXIST, _m.Call(Sys.symlinkat, _m.Str("x"), cwd, _m.Str("/link", 1)));
        Assert.Equal(-Errno.ENOENT, _m.Call(Sys.symlinkat, _m.Str(""), cwd, _m.Str("/empty", 1)));
        Assert.Equal(0, _m.Call(Sys.symlinkat, _m.Str("/loop"), cwd, _m.Str("/loop", 1)));
        Assert.Equal(-Errno.ELOOP, _m.Open("/loop", 0));
        Assert.Equal(-Errno.ELOOP, _m.Stat("/loop").Mode);
    }

    [Fact]
    public void BadPathArgumentsAreRefused()
    {
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.openat, MemoryRootFixture.Cwd, 0xdead_0000, 0));
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.chdir, 0));
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.mkdirat, MemoryRootFixture.Cwd, 8, 0x1ed));
        Assert.Equal(-Errno.ENOENT, _m.Open("", 0));
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.openat, 999, _m.Str("rel"), 0));
        Assert.Equal(-Errno.ENAMETOOLONG, _m.Open("/" + new string('a', 5000), 0));
        Assert.Equal(-Errno.EINVAL, _m.Open("/x", 3));
        Assert.Equal(-Errno.EISDIR, _m.Open("/", 0x41));
    }

    [Fact]
    public void PopulateCopiesAHostFolder()
    {
        string root = Directory.CreateTempSubdirectory("spindle-vfs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "bin"));
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            System.IO.File.WriteAllBytes(Path.Combine(root, "bin", "prog"), new byte[100_000]);
            if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(Path.Combine(root, "bin", "prog"), (UnixFileMode)0x1ed);
            System.IO.File.WriteAllText(Path.Combine(root, "etc", "motd"), "welcome");
            System.IO.File.CreateSymbolicLink(Path.Combine(root, "sh"), "/bin/prog");
            var fs = new MemoryFs();
            using (var host = new HostFileSystem(root)) Assert.Equal(5, fs.Populate(host));
            var m = new MemoryRootFixture();
            m.Personality.UseRoot(fs);
            Assert.Equal(0x81ed, m.Stat("/bin/prog").Mode);
            Assert.Equal(100_000, m.Stat("/sh").Size);
            Assert.Equal("welcome", m.ReadText(m.Open("/etc/motd", 0)));
            Assert.Equal(0x43ff, m.Stat("/tmp").Mode);                       // created, sticky and world-writable
            Assert.Equal(0x2000, m.Stat("/dev/null").Mode & 0xf000);          // devices mounted over /dev
            Assert.Equal(0, m.Personality.ReadExecutable(m.Process, "/sh"u8, out byte[]? image));
            Assert.Equal(100_000, image!.Length);
            Assert.Equal(-Errno.EACCES, m.Personality.ReadExecutable(m.Process, "/etc/motd"u8, out _));
            Assert.Equal(-Errno.EACCES, m.Personality.ReadExecutable(m.Process, "/etc"u8, out _));
            Assert.Equal(-Errno.ENOENT, m.Personality.ReadExecutable(m.Process, "/nope"u8, out _));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void PopulateReportsAnUnreadableFolder()
    {
        var fs = new MemoryFs();
        Assert.Equal(-Errno.ENOTDIR, fs.Populate(new FileAsRootFs()));
    }

    // A host file system whose root is not a directory.
    private sealed class FileAsRootFs : IHostFileSystem
    {
        public int Open(ReadOnlySpan<byte> path, OpenFlags flags, uint mode, out IHostFile? file) { file = null; return -Errno.ENOTDIR; }
        public int Stat(ReadOnlySpan<byte> path, bool followLinks, out FileStatus status) { status = default; return -Errno.ENOTDIR; }
        public int ReadLink(ReadOnlySpan<byte> path, Span<byte> target) => -Errno.EINVAL;
        public int Unlink(ReadOnlySpan<byte> path, bool directory) => -Errno.EROFS;
        public int MakeDirectory(ReadOnlySpan<byte> path, uint mode) => -Errno.EROFS;
        public int Access(ReadOnlySpan<byte> path, int mode, bool followLinks) => -Errno.ENOTDIR;
        public int Rename(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool noReplace) => -Errno.ENOTDIR;
        public int Link(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> path) => -Errno.ENOTDIR;
        public int MakeSymlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> path) => -Errno.ENOTDIR;
        public int MakeNode(ReadOnlySpan<byte> path, uint mode) => -Errno.ENOTDIR;
        public int SetAttributes(ReadOnlySpan<byte> path, in AttributeChanges changes) => -Errno.ENOTDIR;
        public int GetStatistics(out FileSystemStatistics statistics) { statistics = default; return -Errno.ENOTDIR; }
    }
}
