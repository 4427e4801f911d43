using System.Text;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;
using LinuxVfs = Spindle.Extensions.Linux.Files.Vfs;

namespace Spindle.Kernel.Tests.FileSystems;

/// <summary>
/// The Sdk file-system contract, checked the same way on every implementation: each subclass names
/// a file system and inherits every test. Node operations are called directly; the rules the
/// personality owns (a directory not into its own subtree) go through its name space over the file system.
/// </summary>
public abstract class VfsConformanceTests
{
    /// <summary>A fresh, empty file system of the kind under test.</summary>
    protected abstract IFileSystem NewFileSystem();

    private readonly IFileSystem _fs;
    private Vnode Root => _fs.Root;

    protected VfsConformanceTests() => _fs = NewFileSystem();

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private Vnode File(Vnode dir, string name)
    {
        Assert.Equal(0, dir.Create(B(name), 0x1a4, out Vnode? node));
        return node!;
    }

    private Vnode Dir(Vnode dir, string name)
    {
        Assert.Equal(0, dir.MakeDirectory(B(name), 0x1ed, out Vnode? node));
        Assert.True(node!.IsDirectory);
        return node;
    }

    private static FileStatus Attr(Vnode node)
    {
        Assert.Equal(0, node.GetAttributes(out FileStatus st));
        return st;
    }

    private Vnode? Find(Vnode dir, string name) => dir.Lookup(B(name), out Vnode? child) == 0 ? child : null;

    private static string ReadAll(Vnode node, long offset, int count)
    {
        var buffer = new byte[count];
        long n = node.Read(buffer, offset);
        Assert.True(n >= 0, $"read = {n}");
        return Encoding.Latin1.GetString(buffer, 0, (int)n);
    }

    /// <summary>Lists a directory in pieces of <paramref name="piece"/> entries, resuming from the cookies.</summary>
    private static List<(string Name, ulong Inode, uint Type)> List(Vnode dir, int piece = int.MaxValue, Action? between = null)
    {
        var all = new List<(string, ulong, uint)>();
        long cookie = 0;
        while (true)
        {
            var sink = new Sink(piece);
            Assert.Equal(0, dir.ReadDirectory(cookie, sink));
            if (sink.Taken.Count == 0) return all;
            all.AddRange(sink.Taken);
            cookie = sink.Last;
            between?.Invoke();
        }
    }

    private sealed class Sink(int room) : IDirectorySink
    {
        public readonly List<(string, ulong, uint)> Taken = [];
        public long Last;

        public bool Add(ReadOnlySpan<byte> name, ulong inode, uint type, long nextCookie)
        {
            if (Taken.Count == room) return false;
            Taken.Add((Encoding.Latin1.GetString(name), inode, type));
            Last = nextCookie;
            return true;
        }
    }

    [Fact]
    public void RootIsADirectoryOfThisFileSystem()
    {
        Assert.Same(Root, _fs.Root);
        Assert.True(Root.IsDirectory);
        Assert.Same(_fs, Root.FileSystem);
        FileStatus st = Attr(Root);
        Assert.Equal(FileType.Directory, st.Mode & FileType.Mask);
        Assert.Equal(Root.Inode, st.Inode);
        Assert.Equal(_fs.Device, st.Device);
        Assert.Equal(2UL, st.LinkCount);
        Assert.Equal(0, _fs.GetStatistics(out FileSystemStatistics stats));
        Assert.True(stats.NameMax >= 255);
        Assert.Equal(0, _fs.Sync());
    }

    [Fact]
    public void CreateLookupAndUnlink()
    {
        Vnode f = File(Root, "a");
        Assert.Equal(FileType.Regular, f.Type);
        Assert.Equal(0x81a4u, Attr(f).Mode);
        Assert.Equal(1UL, Attr(f).LinkCount);
        Vnode? again = Find(Root, "a");
        Assert.NotNull(again);
        Assert.True(again!.Same(f));
        Assert.Equal(f.Inode, Attr(again).Inode);
        Assert.Equal(-Errno.EEXIST, Root.Create(B("a"), 0x1a4, out _));
        Assert.Equal(-Errno.EEXIST, Root.MakeDirectory(B("a"), 0x1ed, out _));
        Assert.Equal(-Errno.ENOENT, Root.Lookup(B("b"), out _));
        Assert.Equal(-Errno.ENOTDIR, f.Lookup(B("x"), out _));
        Assert.Equal(-Errno.ENOTDIR, f.Create(B("x"), 0x1a4, out _));
        Assert.Equal(0, Root.Unlink(B("a")));
        Assert.Equal(-Errno.ENOENT, Root.Lookup(B("a"), out _));
        Assert.Equal(-Errno.ENOENT, Root.Unlink(B("a")));
        Vnode other = File(Root, "c");
        Assert.False(other.Same(f));
        Assert.NotEqual(f.Inode, other.Inode);
    }

    [Fact]
    public void DirectoriesCountLinksAndRefuseToGoWhileFull()
    {
        Vnode d = Dir(Root, "d");
        Assert.Equal(3UL, Attr(Root).LinkCount);
        Assert.Equal(2UL, Attr(d).LinkCount);
        Dir(d, "sub");
        File(d, "f");
        Assert.Equal(3UL, Attr(d).LinkCount);
        Assert.Equal(-Errno.ENOTEMPTY, Root.RemoveDirectory(B("d")));
        Assert.Equal(-Errno.EISDIR, d.Unlink(B("sub")));
        Assert.Equal(-Errno.ENOTDIR, d.RemoveDirectory(B("f")));
        Assert.Equal(-Errno.ENOENT, d.RemoveDirectory(B("none")));
        Assert.Equal(0, d.RemoveDirectory(B("sub")));
        Assert.Equal(2UL, Attr(d).LinkCount);
        Assert.Equal(0, d.Unlink(B("f")));
        Assert.Equal(0, Root.RemoveDirectory(B("d")));
        Assert.Equal(2UL, Attr(Root).LinkCount);
    }

    [Fact]
    public void HardLinksShareTheObjectAndCountNames()
    {
        Vnode f = File(Root, "f");
        Assert.Equal(5, f.Write(B("hello"), 0));
        Vnode d = Dir(Root, "d");
        Assert.Equal(0, d.Link(B("g"), f));
        Assert.Equal(2UL, Attr(f).LinkCount);
        Assert.True(Find(d, "g")!.Same(f));
        Assert.Equal(-Errno.EEXIST, Root.Link(B("d"), f));
        Assert.Equal(-Errno.EPERM, Root.Link(B("dd"), d));
        Assert.Equal(0, Root.Unlink(B("f")));
        Vnode g = Find(d, "g")!;
        Assert.Equal(1UL, Attr(g).LinkCount);
        Assert.Equal("hello", ReadAll(g, 0, 16));
        Assert.Equal(-Errno.EXDEV, Root.Link(B("x"), new MemoryFs().Root));
    }

    [Fact]
    public void RenameMovesReplacesAndRefuses()
    {
        Vnode a = Dir(Root, "a"), b = Dir(Root, "b");
        Vnode f = File(a, "f");
        Assert.Equal(0, a.Rename(B("f"), a, B("g"), noReplace: false));        // within a directory
        Assert.Null(Find(a, "f"));
        Assert.True(Find(a, "g")!.Same(f));
        Assert.Equal(0, a.Rename(B("g"), b, B("g"), noReplace: false));        // across directories
        Assert.Null(Find(a, "g"));
        Assert.True(Find(b, "g")!.Same(f));

        Vnode target = File(b, "t");                                            // over an existing file
        Assert.Equal(-Errno.EEXIST, b.Rename(B("g"), b, B("t"), noReplace: true));
        Assert.Equal(0, b.Rename(B("g"), b, B("t"), noReplace: false));
        Assert.True(Find(b, "t")!.Same(f));
        Assert.Null(Find(b, "g"));
        Assert.Equal(0UL, Attr(target).LinkCount);
        Assert.Equal(1UL, Attr(f).LinkCount);

        Assert.Equal(0, b.Link(B("t2"), f));                                    // two names of one object: nothing happens
        Assert.Equal(0, b.Rename(B("t"), b, B("t2"), noReplace: false));
        Assert.NotNull(Find(b, "t"));

        Vnode sub = Dir(a, "sub");                                              // a directory between parents
        Assert.Equal(3UL, Attr(a).LinkCount);
        Assert.Equal(0, a.Rename(B("sub"), b, B("sub"), noReplace: false));
        Assert.Equal(2UL, Attr(a).LinkCount);
        Assert.Equal(3UL, Attr(b).LinkCount);
        Assert.True(Find(b, "sub")!.Same(sub));

        Dir(a, "empty");                                                        // a directory over directories and files
        Dir(a, "full");
        File(Find(a, "full")!, "x");
        Assert.Equal(-Errno.ENOTEMPTY, b.Rename(B("sub"), a, B("full"), noReplace: false));
        Assert.Equal(-Errno.ENOTDIR, b.Rename(B("sub"), b, B("t"), noReplace: false));
        Assert.Equal(-Errno.EISDIR, b.Rename(B("t"), a, B("empty"), noReplace: false));
        Assert.Equal(0, b.Rename(B("sub"), a, B("empty"), noReplace: false));
        Assert.True(Find(a, "empty")!.Same(sub));
        Assert.Equal(-Errno.ENOENT, a.Rename(B("none"), a, B("x"), noReplace: false));
        Assert.Equal(-Errno.EXDEV, a.Rename(B("empty"), new MemoryFs().Root, B("x"), noReplace: false));
    }

    [Fact]
    public void ADirectoryDoesNotMoveIntoItsOwnSubtree()
    {
        var names = new LinuxVfs(Root);
        Assert.Equal(0, names.MakeDirectory(names.Root, B("/a"), 0x1ed));
        Assert.Equal(0, names.MakeDirectory(names.Root, B("/a/b"), 0x1ed));
        Assert.Equal(-Errno.EINVAL, names.Rename(names.Root, B("/a"), names.Root, B("/a/b/c"), noReplace: false));
        Assert.Equal(-Errno.EINVAL, names.Rename(names.Root, B("/a"), names.Root, B("/a/c"), noReplace: false));
        Assert.Equal(0, names.Rename(names.Root, B("/a/b"), names.Root, B("/c"), noReplace: false));
        Assert.NotNull(Find(Root, "c"));
    }

    [Fact]
    public void SymbolicLinksHoldTheirTextUninterpreted()
    {
        Assert.Equal(0, Root.MakeSymlink(B("l"), B("../some/where"), out Vnode? link));
        Assert.True(link!.IsSymlink);
        Assert.True(Find(Root, "l")!.Same(link));
        Assert.Equal(FileType.Symlink, Attr(link).Mode & FileType.Mask);
        Assert.Equal(13, Attr(link).Size);
        var text = new byte[64];
        Assert.Equal(13, link.ReadLink(text));
        Assert.Equal("../some/where", Encoding.ASCII.GetString(text, 0, 13));
        var small = new byte[4];
        Assert.Equal(13, link.ReadLink(small));                                 // full length, truncated copy
        Assert.Equal("../s", Encoding.ASCII.GetString(small));
        Assert.Equal(-Errno.EINVAL, File(Root, "f").ReadLink(text));
        Assert.Equal(-Errno.EEXIST, Root.MakeSymlink(B("l"), B("x"), out _));
        Assert.Equal(0, Root.Unlink(B("l")));
    }

    [Fact]
    public void ReadAndWriteAtOffsetsWithHoles()
    {
        Vnode f = File(Root, "f");
        Assert.Equal(0, f.Read(new byte[8], 0));
        Assert.Equal(1, f.Write(B("x"), 10));
        Assert.Equal(11, Attr(f).Size);
        Assert.Equal(new string('\0', 10) + "x", ReadAll(f, 0, 64));
        Assert.Equal(3, f.Write(B("abc"), 2));
        Assert.Equal("\0\0abc\0", ReadAll(f, 0, 6));
        Assert.Equal("c", ReadAll(f, 4, 1));
        Assert.Equal(0, f.Read(new byte[8], 11));
        Assert.Equal(0, f.Read(new byte[8], 1000));
        Assert.Equal(11, Attr(f).Size);
        Vnode d = Dir(Root, "d");
        Assert.Equal(-Errno.EISDIR, d.Read(new byte[8], 0));
        Assert.Equal(-Errno.EISDIR, d.Write(B("x"), 0));
    }

    [Fact]
    public void TruncateShrinksAndGrowsWithZeros()
    {
        Vnode f = File(Root, "f");
        f.Write(B("hello world"), 0);
        Assert.Equal(0, f.Truncate(2));
        Assert.Equal(2, Attr(f).Size);
        Assert.Equal("he", ReadAll(f, 0, 64));
        Assert.Equal(0, f.Truncate(6));
        Assert.Equal("he\0\0\0\0", ReadAll(f, 0, 64));                          // old bytes do not come back
        Assert.Equal(-Errno.EINVAL, f.Truncate(-1));
        Assert.Equal(-Errno.EISDIR, Dir(Root, "d").Truncate(0));
    }

    [Fact]
    public void SetAttributesChangesModeOwnerAndTimes()
    {
        Vnode f = File(Root, "f");
        var changes = new AttributeChanges
        {
            Valid = AttributeMask.Mode | AttributeMask.Uid | AttributeMask.Gid | AttributeMask.ModifyTime,
            Mode = 0x1c0 | FileType.Directory, Uid = 7, Gid = 8, ModifyNanoseconds = 5_000_000_000,
        };
        Assert.Equal(0, f.SetAttributes(changes));
        FileStatus st = Attr(f);
        Assert.Equal(FileType.Regular | 0x1c0, st.Mode);                        // the type bits never change
        Assert.Equal(7u, st.Uid);
        Assert.Equal(8u, st.Gid);
        Assert.Equal(5, st.ModifySeconds);
        Assert.Equal(0, f.Access(1 | 2 | 4));
        Assert.Equal(0, f.SetAttributes(new AttributeChanges { Valid = AttributeMask.Mode, Mode = 0x100 }));
        Assert.Equal(0, f.Access(4));
        Assert.Equal(-Errno.EACCES, f.Access(2));
    }

    [Fact]
    public void OpenHandlesReadWriteAndTruncate()
    {
        Vnode f = File(Root, "f");
        Assert.Equal(0, f.Open(OpenFlags.ReadWrite, out OpenFile? open));
        Assert.Same(f, open!.Node);
        Assert.Equal(4, open.Write(B("data"), 0));
        var buffer = new byte[8];
        Assert.Equal(2, open.Read(buffer, 2));
        Assert.Equal(0, open.Sync());
        Assert.True(open.Mappable);
        open.Release();
        Assert.Equal(0, f.Open(OpenFlags.WriteOnly | OpenFlags.Truncate, out OpenFile? again));
        Assert.Equal(0, Attr(f).Size);
        again!.Release();
    }

    [Fact]
    public void ReaddirListsEveryNameOnceInPiecesFromCookies()
    {
        Vnode d = Dir(Root, "d");
        for (int i = 0; i < 50; i++) File(d, "f" + i);
        Vnode sub = Dir(d, "sub");
        var whole = List(d);
        Assert.Equal(51, whole.Count);
        Assert.DoesNotContain(whole, e => e.Name is "." or "..");
        Assert.Equal((sub.Inode, FileType.Directory), (whole.Single(e => e.Name == "sub").Inode, whole.Single(e => e.Name == "sub").Type));
        Assert.Equal(Find(d, "f7")!.Inode, whole.Single(e => e.Name == "f7").Inode);
        Assert.Equal(FileType.Regular, whole.Single(e => e.Name == "f7").Type);
        Assert.Equal(whole, List(d, piece: 7));                                 // in pieces: the same, in the same order
        Assert.Empty(List(Dir(Root, "empty")));
        Assert.Equal(-Errno.ENOTDIR, File(Root, "file").ReadDirectory(0, new Sink(1)));
    }

    [Fact]
    public void ReaddirResumesWhileNamesComeAndGo()
    {
        Vnode d = Dir(Root, "d");
        for (int i = 0; i < 30; i++) File(d, "n" + i.ToString("00"));
        int round = 0;
        var seen = List(d, piece: 4, between: () =>
        {
            if (++round > 5) return;                                            // for a while (so the listing ends):
            d.Unlink(B("n" + (29 - round).ToString("00")));                      // names vanish...
            File(d, "new" + round);                                              // ...and appear meanwhile
        });
        var names = seen.Select(e => e.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);                    // nothing twice
        foreach (var (name, _, _) in List(d).Where(e => e.Name.Length == 3))
            Assert.Contains(name, names);                                        // nothing that stayed is skipped
    }
}

/// <summary>The contract on the personality's memory file system (the root of `spindle boot`).</summary>
public sealed class MemoryFsConformanceTests : VfsConformanceTests
{
    protected override IFileSystem NewFileSystem() => new MemoryFs();
}

/// <summary>The contract on <see cref="ToyFs"/>, written against the Sdk only.</summary>
public sealed class ToyFsConformanceTests : VfsConformanceTests
{
    protected override IFileSystem NewFileSystem() => new ToyFs();
}
