using System.Text;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>Path resolution on a memory file system: "..", symbolic links, mounts and the errors.</summary>
public sealed class ResolutionVfsTests
{
    private readonly MemoryFs _fs = new();
    private readonly Vfs _vfs;

    public ResolutionVfsTests()
    {
        _vfs = new Vfs(_fs.Root);
        Mkdir("/a"); Mkdir("/a/b"); Mkdir("/a/b/c");
        File("/a/file");
        Link("/a/abs", "/a/b");        // absolute link to a directory
        Link("/a/b/rel", "../file");   // relative link, resolved from /a/b
        Link("/loop1", "/loop2");
        Link("/loop2", "/loop1");
        Link("/self", "self");
        Link("/dangling", "/nowhere");
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private void Mkdir(string p) => Assert.Equal(0, _vfs.MakeDirectory(_vfs.Root, B(p), 0x1ed));
    private void Link(string p, string target) => Assert.Equal(0, _vfs.MakeSymlink(B(target), _vfs.Root, B(p)));
    private void File(string p)
    {
        Assert.Equal(0, _vfs.Open(_vfs.Root, B(p), 0x41, 0x1a4, out FileDescription? f));
        f!.Release();
    }

    private string PathOf(string p, bool follow = true, Location? start = null)
    {
        int r = _vfs.Resolve(start ?? _vfs.Root, B(p), follow, out Location? at);
        return r < 0 ? $"errno {-r}" : Encoding.UTF8.GetString(at!.Path());
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/b/c", "/a/b/c")]
    [InlineData("//a///b/./c/", "/a/b/c")]
    [InlineData("/a/b/c/../..", "/a")]
    [InlineData("/../../a", "/a")]
    [InlineData("/a/abs/c", "/a/b/c")]
    [InlineData("/a/abs/..", "/a")]
    [InlineData("/a/b/rel", "/a/file")]
    public void ResolvesToTheCanonicalPath(string path, string expected) => Assert.Equal(expected, PathOf(path));

    [Fact]
    public void RelativePathsStartAtTheGivenDirectory()
    {
        Assert.Equal(0, _vfs.Resolve(_vfs.Root, B("/a/b"), true, out Location? b));
        Assert.Equal("/a/b/c", PathOf("c", start: b));
        Assert.Equal("/a/file", PathOf("../file", start: b));
        Assert.Equal("/a/file", PathOf("rel", start: b));
    }

    [Fact]
    public void FinalLinksAreFollowedOnlyWhenAsked()
    {
        Assert.Equal("/a/abs", PathOf("/a/abs", follow: false));
        Assert.Equal("/a/b", PathOf("/a/abs", follow: true));
        Assert.Equal("/a/b", PathOf("/a/abs/", follow: false)); // a trailing slash follows
    }

    [Theory]
    [InlineData("/missing", Errno.ENOENT)]
    [InlineData("/a/missing/x", Errno.ENOENT)]
    [InlineData("/a/file/x", Errno.ENOTDIR)]
    [InlineData("/a/file/", Errno.ENOTDIR)]
    [InlineData("/a/file/..", Errno.ENOTDIR)]
    [InlineData("/loop1", Errno.ELOOP)]
    [InlineData("/self/x", Errno.ELOOP)]
    [InlineData("/dangling", Errno.ENOENT)]
    [InlineData("", Errno.ENOENT)]
    public void BadPathsGiveTheirErrno(string path, int errno) => Assert.Equal($"errno {errno}", PathOf(path));

    [Fact]
    public void LongComponentsAreTooLong()
    {
        Assert.Equal($"errno {Errno.ENAMETOOLONG}", PathOf("/" + new string('x', 256)));
        Assert.Equal($"errno {Errno.ENOENT}", PathOf("/" + new string('x', 255)));
        Assert.Equal(-Errno.ENAMETOOLONG, _vfs.MakeDirectory(_vfs.Root, B("/" + new string('y', 256)), 0x1ed));
    }

    [Fact]
    public void ChainsOfFortyLinksResolveAndFortyOneLoop()
    {
        Link("/l0", "/a/file");
        for (int i = 1; i <= 40; i++) Link($"/l{i}", $"/l{i - 1}");
        Assert.Equal("/a/file", PathOf("/l39"));
        Assert.Equal($"errno {Errno.ELOOP}", PathOf("/l40"));
        Assert.Equal("/l40", PathOf("/l40", follow: false));
    }

    [Fact]
    public void MountsCoverANameAndDotDotComesBack()
    {
        var other = new MemoryFs();
        Assert.Equal(0, other.Root.MakeDirectory(B("inner"), 0x1ed, out _));
        Assert.Equal(0, _vfs.Mount(B("/mnt"), other.Root)); // no /mnt directory needed
        Assert.Equal("/mnt/inner", PathOf("/mnt/inner"));
        Assert.Equal("/a", PathOf("/mnt/inner/../../a"));
        Assert.Equal(0, _vfs.Resolve(_vfs.Root, B("/mnt/inner"), true, out Location? inner));
        Assert.True(ReferenceEquals(inner!.Parent!.Node, other.Root));
        Assert.Equal(-Errno.EBUSY, _vfs.Unlink(_vfs.Root, B("/mnt"), directory: true));
        Assert.Equal(-Errno.EEXIST, _vfs.MakeDirectory(_vfs.Root, B("/mnt"), 0x1ed));
        Assert.Equal(-Errno.ENOENT, _vfs.Mount(B("/nope/x"), other.Root));
        Assert.Equal(-Errno.EXDEV, _vfs.Rename(_vfs.Root, B("/a/file"), _vfs.Root, B("/mnt/file"), false));
    }
}
