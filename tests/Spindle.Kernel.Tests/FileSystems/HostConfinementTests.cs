using Spindle.Kernel.Services;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.FileSystems;

/// <summary>
/// The host file system's writing operations (rename, link, symlink, mknod, setattr, statfs) stay inside
/// the root: paths climbing with "..", through a symbolic link leading out, or through an absolute link,
/// never reach the folder beside the root, and a final symbolic link is changed itself, never its target.
/// A seeded run of random operations on random escaping paths leaves the outside untouched.
/// </summary>
public sealed class HostConfinementTests : IDisposable
{
    private readonly string _top = Directory.CreateTempSubdirectory("spindle-confine-").FullName;
    private readonly string _root, _outside, _secret;
    private readonly HostFileSystem _fs;
    private readonly UnixFileMode _topMode;
    private readonly DateTime _topWritten;

    public HostConfinementTests()
    {
        _root = Path.Combine(_top, "root");
        _outside = Path.Combine(_top, "outside");
        _secret = Path.Combine(_outside, "secret");
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(_secret, "keep me");
        File.SetUnixFileMode(_secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(_root, "in", "f"), "inside");
        File.CreateSymbolicLink(Path.Combine(_root, "esc"), "../outside");           // relative, leading out
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), _outside);              // absolute: resolved in the root
        File.CreateSymbolicLink(Path.Combine(_root, "to-secret"), "../outside/secret");
        _fs = new HostFileSystem(_root);
        _topMode = File.GetUnixFileMode(_top);
        _topWritten = Directory.GetLastWriteTimeUtc(_top);
    }

    public void Dispose()
    {
        _fs.Dispose();
        Directory.Delete(_top, recursive: true);
    }

    private static byte[] B(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    private void AssertOutsideUntouched()
    {
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal("keep me", File.ReadAllText(_secret));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_secret));
        Assert.Equal(7, new FileInfo(_secret).Length);
        Assert.Equal(_topMode, File.GetUnixFileMode(_top));          // the root's host parent: ".." of the root is the root
        Assert.Equal(_topWritten, Directory.GetLastWriteTimeUtc(_top));
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/../..")]
    [InlineData("/in/../..")]
    [InlineData("/.")]
    public void AttributesOfADotPathAreTheRootsNeverItsHostParents(string path)
    {
        var changes = new AttributeChanges { Valid = AttributeMask.Mode | AttributeMask.ModifyTime, Mode = 0x1c0, ModifyNanoseconds = 5_000_000_000 };
        Assert.Equal(0, _fs.SetAttributes(B(path), changes));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_root));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(5), Directory.GetLastWriteTimeUtc(_root));
        AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("/../outside/secret")]
    [InlineData("/esc/secret")]
    [InlineData("/abs/secret")]
    [InlineData("/in/../../outside/secret")]
    public void EscapingPathsNameNothingOutside(string path)
    {
        Assert.Equal(-Errno.ENOENT, _fs.Rename(B(path), B("/stolen"), noReplace: false));
        Assert.Equal(-Errno.ENOENT, _fs.Link(B(path), B("/stolen")));
        Assert.Equal(-Errno.ENOENT, _fs.Rename(B("/in/f"), B(path), noReplace: false));
        Assert.Equal(-Errno.ENOENT, _fs.MakeSymlink(B("x"), B(path)));
        Assert.Equal(-Errno.ENOENT, _fs.MakeNode(B(path), FileType.Fifo | 0x1a4));
        Assert.Equal(-Errno.ENOENT, _fs.SetAttributes(B(path), new AttributeChanges { Valid = AttributeMask.Mode | AttributeMask.Size, Mode = 0x1ff, Size = 0 }));
        Assert.True(File.Exists(Path.Combine(_root, "in", "f")));
        AssertOutsideUntouched();
    }

    [Fact]
    public void AFinalLinkIsChangedItselfNeverItsTarget()
    {
        Assert.Equal(-Errno.EOPNOTSUPP, _fs.SetAttributes(B("/to-secret"), new AttributeChanges { Valid = AttributeMask.Mode, Mode = 0x1ff }));
        Assert.Equal(-Errno.ELOOP, _fs.SetAttributes(B("/to-secret"), new AttributeChanges { Valid = AttributeMask.Size, Size = 0 }));
        Assert.Equal(0, _fs.SetAttributes(B("/to-secret"), new AttributeChanges { Valid = AttributeMask.ModifyTime, ModifyNanoseconds = 5_000_000_000 }));
        Assert.Equal(0, _fs.Rename(B("/to-secret"), B("/in/moved-link"), noReplace: false));   // the link moves, inside
        Assert.Equal("../outside/secret", new FileInfo(Path.Combine(_root, "in", "moved-link")).LinkTarget);
        Assert.Equal(0, _fs.Link(B("/in/moved-link"), B("/in/second-link")));                  // links the link, not the secret
        Assert.Equal(0, _fs.SetAttributes(B("/in/f"), new AttributeChanges { Valid = AttributeMask.Mode | AttributeMask.Size, Mode = 0x180, Size = 2 }));
        Assert.Equal("in", File.ReadAllText(Path.Combine(_root, "in", "f")));
        AssertOutsideUntouched();
    }

    [Fact]
    public void RandomOperationsOnEscapingPathsLeaveTheOutsideAlone()
    {
        string[] paths = ["/../outside/secret", "/esc/secret", "/abs/secret", "/esc", "/abs", "/to-secret", "/in/f", "/in/g",
            "/../..", "/esc/../../outside/x", "/abs/../secret", "/in/../../outside", "/", "/in", "//esc//secret", "/esc/new"];
        var random = new Random(1995);
        for (int i = 0; i < 2000; i++)
        {
            byte[] a = B(paths[random.Next(paths.Length)]), b = B(paths[random.Next(paths.Length)]);
            var changes = new AttributeChanges
            {
                Valid = (AttributeMask)random.Next(64), Mode = (uint)random.Next(0x1000), Uid = 0, Gid = 0,
                Size = random.Next(3) == 0 ? -1 : random.Next(100), AccessNanoseconds = random.NextInt64(), ModifyNanoseconds = 0,
            };
            int r = random.Next(6) switch
            {
                0 => _fs.Rename(a, b, random.Next(2) == 0),
                1 => _fs.Link(a, b),
                2 => _fs.MakeSymlink(b, a),
                3 => _fs.MakeNode(a, (random.Next(2) == 0 ? FileType.Fifo : FileType.Regular) | 0x1a4),
                4 => _fs.SetAttributes(a, changes),
                _ => _fs.GetStatistics(out _),
            };
            Assert.True(r <= 0 && r > -4096, $"operation {i}: {r}");
        }
        AssertOutsideUntouched();
    }

    [Fact]
    public void StatisticsAreTheRootsFileSystems()
    {
        Assert.Equal(0, _fs.GetStatistics(out FileSystemStatistics st));
        Assert.True(st.BlockSize > 0 && st.Blocks >= st.FreeBlocks && st.NameMax > 0);
    }
}
