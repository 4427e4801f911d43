using System.Buffers.Binary;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Kernel.Services;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>File system calls through the personality onto the real host file system under a temporary root.</summary>
public sealed class FileCallTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spindle-linux-").FullName;
    private readonly HostFileSystem _fs;
    private readonly LinuxFixture _f;
    private readonly ulong _buf;
    private static ulong U(long v) => (ulong)v;
    private static readonly ulong Cwd = U(LinuxAbi.AT_FDCWD);

    public FileCallTests()
    {
        _fs = new HostFileSystem(_root);
        _f = new LinuxFixture(_fs);
        _buf = _f.Strand.Scratch(0x10_0000, pages: 4);
    }

    public void Dispose()
    {
        _fs.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private ulong Path(string p) => _f.Strand.PutString(_buf, p);

    [Fact]
    public void CreateWriteSeekReadBack()
    {
        long fd = _f.Call(Sys.openat, Cwd, Path("/data.txt"), 2 | LinuxAbi.O_CREAT, 0x1a4);
        Assert.Equal(3, fd);
        _f.Strand.CopyOut(_buf + 1024, "spindle"u8);
        Assert.Equal(7, _f.Call(Sys.write, (ulong)fd, _buf + 1024, 7));
        Assert.Equal(2, _f.Call(Sys.lseek, (ulong)fd, 2, 0));
        Assert.Equal(5, _f.Call(Sys.read, (ulong)fd, _buf + 2048, 100));
        Assert.Equal("indle", Encoding.ASCII.GetString(_f.Strand.Get(_buf + 2048, 5)));
        Assert.Equal(3, _f.Call(Sys.pread64, (ulong)fd, _buf + 2048, 3, 0));
        Assert.Equal("spi", Encoding.ASCII.GetString(_f.Strand.Get(_buf + 2048, 3)));
        Assert.Equal(0, _f.Call(Sys.close, (ulong)fd));
        Assert.Equal("spindle", File.ReadAllText(System.IO.Path.Combine(_root, "data.txt")));
    }

    [Fact]
    public void FstatReportsTheRiscvLayout()
    {
        File.WriteAllBytes(System.IO.Path.Combine(_root, "f"), new byte[1234]);
        Assert.Equal(0, _f.Call(Sys.newfstatat, Cwd, Path("/f"), _buf + 1024, 0));
        byte[] st = _f.Strand.Get(_buf + 1024, 128);
        Assert.Equal(0x8000u, BinaryPrimitives.ReadUInt32LittleEndian(st.AsSpan(16)) & 0xf000); // st_mode: regular
        Assert.Equal(1234L, BinaryPrimitives.ReadInt64LittleEndian(st.AsSpan(48)));            // st_size
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(st.AsSpan(20)));              // st_nlink
        Assert.Equal(-Errno.ENOENT, _f.Call(Sys.newfstatat, Cwd, Path("/missing"), _buf + 1024, 0));
    }

    [Fact]
    public void DotDotNeverLeavesTheRoot()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_root, "etc"));
        File.WriteAllText(System.IO.Path.Combine(_root, "etc", "passwd"), "inside");
        long fd = _f.Call(Sys.openat, Cwd, Path("/../../../../etc/passwd"), 0);
        Assert.True(fd >= 0, $"openat = {fd}");
        Assert.Equal(6, _f.Call(Sys.read, (ulong)fd, _buf + 2048, 100));
        Assert.Equal("inside", Encoding.ASCII.GetString(_f.Strand.Get(_buf + 2048, 6)));
    }

    [Fact]
    public void AbsoluteSymlinksResolveInsideTheRoot()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_root, "tmp"));
        File.WriteAllText(System.IO.Path.Combine(_root, "tmp", "target"), "mine");
        File.CreateSymbolicLink(System.IO.Path.Combine(_root, "link"), "/tmp/target");
        long fd = _f.Call(Sys.openat, Cwd, Path("/link"), 0);
        Assert.True(fd >= 0, $"openat = {fd}");
        Assert.Equal(4, _f.Call(Sys.read, (ulong)fd, _buf + 2048, 100));
        Assert.Equal(11, _f.Call(Sys.readlinkat, Cwd, Path("/link"), _buf + 2048, 100));
        Assert.Equal("/tmp/target", Encoding.ASCII.GetString(_f.Strand.Get(_buf + 2048, 11)));
        Assert.Equal(-Errno.EINVAL, _f.Call(Sys.readlinkat, Cwd, Path("/tmp"), _buf + 2048, 100));
    }

    [Fact]
    public void DirectoriesListAndRelativePathsFollowTheDirfd()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_root, "d"));
        File.WriteAllText(System.IO.Path.Combine(_root, "d", "a"), "");
        File.WriteAllText(System.IO.Path.Combine(_root, "d", "bb"), "x");
        long dir = _f.Call(Sys.openat, Cwd, Path("/d"), LinuxAbi.O_DIRECTORY);
        Assert.True(dir >= 0);
        long n = _f.Call(Sys.getdents64, (ulong)dir, _buf + 1024, 4096);
        Assert.True(n > 0);
        var names = new List<string>();
        byte[] d = _f.Strand.Get(_buf + 1024, (int)n);
        for (int at = 0; at < n;)
        {
            int reclen = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(at + 16));
            names.Add(Encoding.ASCII.GetString(d, at + 19, Array.IndexOf(d, (byte)0, at + 19) - at - 19));
            at += reclen;
        }
        Assert.Equal([".", "..", "a", "bb"], names.Order());
        Assert.Equal(0, _f.Call(Sys.getdents64, (ulong)dir, _buf + 1024, 4096));
        Assert.Equal(0, _f.Call(Sys.newfstatat, (ulong)dir, Path("bb"), _buf + 1024, 0));
        Assert.Equal(1L, BinaryPrimitives.ReadInt64LittleEndian(_f.Strand.Get(_buf + 1024 + 48, 8)));
        long file = _f.Call(Sys.openat, Cwd, Path("/d/a"), 0);
        Assert.Equal(-Errno.ENOTDIR, _f.Call(Sys.openat, (ulong)file, Path("x"), 0));
        Assert.Equal(-Errno.ENOTDIR, _f.Call(Sys.getdents64, (ulong)file, _buf + 1024, 4096));
        Assert.Equal(-Errno.EISDIR, _f.Call(Sys.read, (ulong)dir, _buf + 1024, 10));
    }

    [Fact]
    public void MkdirUnlinkAccess()
    {
        Assert.Equal(0, _f.Call(Sys.mkdirat, Cwd, Path("/new"), 0x1ed));
        Assert.Equal(-Errno.EEXIST, _f.Call(Sys.mkdirat, Cwd, Path("/new"), 0x1ed));
        Assert.True(Directory.Exists(System.IO.Path.Combine(_root, "new")));
        Assert.Equal(0, _f.Call(Sys.faccessat, Cwd, Path("/new"), 0));
        Assert.Equal(-Errno.EISDIR, _f.Call(Sys.unlinkat, Cwd, Path("/new"), 0));
        Assert.Equal(0, _f.Call(Sys.unlinkat, Cwd, Path("/new"), LinuxAbi.AT_REMOVEDIR));
        Assert.Equal(-Errno.ENOENT, _f.Call(Sys.faccessat, Cwd, Path("/new"), 0));
        Assert.Equal(-Errno.EEXIST, _f.Call(Sys.mkdirat, Cwd, Path("/.."), 0x1ed));
        Assert.Equal(-Errno.ENOTEMPTY, _f.Call(Sys.unlinkat, Cwd, Path("/.."), LinuxAbi.AT_REMOVEDIR));
        Assert.True(Directory.Exists(_root));
    }

    [Fact]
    public void ReadOnlyDescriptorsRefuseWrites()
    {
        File.WriteAllText(System.IO.Path.Combine(_root, "ro"), "abc");
        long fd = _f.Call(Sys.openat, Cwd, Path("/ro"), 0);
        Assert.Equal(-Errno.EBADF, _f.Call(Sys.write, (ulong)fd, _buf, 1));
        Assert.Equal(-Errno.EINVAL, _f.Call(Sys.pread64, (ulong)fd, _buf, 1, U(-1)));
        Assert.Equal(-Errno.ESPIPE, _f.Call(Sys.lseek, 1, 0, 0));
    }
}
