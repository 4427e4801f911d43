using System.Text;
using Spindle.Extensions.Fs.Ext2;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// ext2 read back against mke2fs: images of one tree with 1, 2 and 4 KiB blocks mount through the cache, and every
/// name, type, mode, size, link count, link text and byte reads back as the host folder has it (sparse files past the
/// double-indirect limit, and at 1 KiB past the triple-indirect start, included). Unsupported features refuse the mount
/// naming the feature; the file system refuses every change with -EROFS.
/// </summary>
[Collection("ext2 images")]
public sealed class Ext2ReadTests : ScratchFolder
{

    [Theory]
    [InlineData(1024, 68L << 20)]               // past 12 + 256 + 65536 blocks: the triple-indirect block at 1 KiB
    [InlineData(2048, 600L << 20)]              // past the double-indirect limit at 2 KiB (12 + 512 + 262144 blocks)
    [InlineData(4096, 5L << 30)]                // past 4 GiB: the double-indirect limit at 4 KiB, and large_file's high size word
    public void EveryFileOfAMke2fsImageReadsBackByteIdentical(int blockSize, long largeOffset)
    {
        string tree = Path.Combine(Folder, "tree"), image = Path.Combine(Folder, "fs.img");
        Ext2Images.MakeTree(tree, largeOffset);
        Ext2Images.Make(image, tree, blockSize, 24);
        using var disk = new TestDisk(image, readOnly: true);
        var result = Ext2FileSystem.Mount(disk.Cache, 0);
        Assert.True(result.FileSystem != null, result.Reason);
        var fs = (Ext2FileSystem)result.FileSystem!;
        Assert.Equal(blockSize, fs.Super.BlockSize);
        int files = Compare(fs.Root, tree);
        Assert.True(files > 400, $"compared {files} objects");

        Assert.Equal(0, fs.Root.Lookup(B("hello.txt"), out Vnode? hello));
        Assert.Equal(0, fs.Root.Lookup(B("d0"), out Vnode? d0));
        Assert.Equal(0, d0!.Lookup(B("hello-again"), out Vnode? again));
        Assert.True(again!.Same(hello!));
        Assert.Same(hello, again);
        Assert.Equal(0, hello!.GetAttributes(out FileStatus st));
        Assert.Equal(2UL, st.LinkCount);
        Assert.Equal(0, fs.GetStatistics(out FileSystemStatistics stats));
        Assert.Equal((0xEF53L, (long)blockSize, 255L), (stats.Type, stats.BlockSize, stats.NameMax));
    }

    // Compares the ext2 directory `dir` with the host folder `host` recursively: the same names, and for each the
    // same type, permission bits, size, link text or bytes (the root also has mke2fs's lost+found). Returns the
    // number of objects compared.
    private static int Compare(Vnode dir, string host, bool root = true)
    {
        var listed = new Dictionary<string, (ulong Inode, uint Type)>();
        Assert.Equal(0, dir.ReadDirectory(0, new Collect(listed)));
        if (root) Assert.Equal(FileType.Directory, listed["lost+found"].Type);
        listed.Remove("lost+found");
        var expected = Directory.EnumerateFileSystemEntries(host).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, listed.Keys.Order(StringComparer.Ordinal).ToList());
        var pieces = Listed(dir, piece: 7);
        pieces.Remove("lost+found");
        Assert.Equal(listed, pieces);
        int count = 0;
        foreach (var name in expected)
        {
            string path = Path.Combine(host, name!);
            Assert.Equal(0, dir.Lookup(B(name!), out Vnode? node));
            Assert.Equal(0, node!.GetAttributes(out FileStatus st));
            Assert.Equal(listed[name!].Inode, node.Inode);
            Assert.Equal(listed[name!].Type, node.Type);
            var info = new FileInfo(path);
            count++;
            if (info.LinkTarget is { } target)
            {
                Assert.Equal(FileType.Symlink, node.Type);
                var text = new byte[4096];
                int n = node.ReadLink(text);
                Assert.Equal(target, Encoding.UTF8.GetString(text, 0, n));
                Assert.Equal(n, st.Size);
            }
            else if (Directory.Exists(path))
            {
                Assert.True(node.IsDirectory);
                count += Compare(node, path, root: false);
            }
            else
            {
                Assert.Equal(FileType.Regular, node.Type);
                Assert.Equal((uint)File.GetUnixFileMode(path), st.Mode & FileType.PermissionMask);
                Assert.Equal(info.Length, st.Size);
                CompareBytes(node, path, info.Length);
            }
        }
        return count;
    }

    // The file's bytes: whole when small; for a large sparse file, every data region and a sample of its holes.
    private static void CompareBytes(Vnode node, string path, long length)
    {
        using var host = File.OpenRead(path);
        var ranges = length <= 4 << 20
            ? [(0L, (int)length)]
            : new List<(long, int)> { (0, 70_000), (2_990_000, 30_000), (length / 2, 10_000), (length - 20_000, 20_000) };
        foreach (var (offset, count) in ranges)
        {
            var want = new byte[count];
            host.Position = offset;
            host.ReadExactly(want);
            var got = new byte[count + 100];
            Assert.Equal(Math.Min(got.Length, length - offset), node.Read(got, offset));
            Assert.True(want.AsSpan().SequenceEqual(got.AsSpan(0, count)), $"{path} at {offset}");
        }
        Assert.Equal(0, node.Read(new byte[10], length));
    }

    private static Dictionary<string, (ulong, uint)> Listed(Vnode dir, int piece)
    {
        var all = new Dictionary<string, (ulong, uint)>();
        long cookie = 0;
        while (true)
        {
            var sink = new Collect(all, piece);
            Assert.Equal(0, dir.ReadDirectory(cookie, sink));
            if (sink.Taken == 0) return all;
            cookie = sink.Last;
        }
    }

    private sealed class Collect(Dictionary<string, (ulong, uint)> into, int room = int.MaxValue) : IDirectorySink
    {
        public int Taken;
        public long Last;

        public bool Add(ReadOnlySpan<byte> name, ulong inode, uint type, long nextCookie)
        {
            if (Taken == room) return false;
            Assert.True(into.TryAdd(Encoding.UTF8.GetString(name), (inode, type)), "each name once");
            Taken++;
            Last = nextCookie;
            return true;
        }
    }

    [Fact]
    public void AnEmptyImageMountsWithLostAndFound()
    {
        string image = Path.Combine(Folder, "empty.img");
        File.Delete(image);
        Ext2Images.Run("mke2fs", "-q", "-F", "-t", "ext2", image, "4M");
        using var disk = new TestDisk(image, readOnly: true);
        var fs = Ext2FileSystem.Mount(disk.Cache, 0).FileSystem!;
        Assert.Equal(0, fs.Root.Lookup(B("lost+found"), out Vnode? lost));
        Assert.True(lost!.IsDirectory);
        Assert.Equal(0, fs.Root.GetAttributes(out FileStatus st));
        Assert.Equal(3UL, st.LinkCount);
        Assert.Equal(-Errno.ENOENT, fs.Root.Lookup(B("nothing"), out _));
    }

    [Theory]
    [InlineData("ext4", "extents")]
    [InlineData("ext2 -O meta_bg,^resize_inode", "meta_bg")]
    [InlineData("ext2 -O flex_bg", "flex_bg")]
    [InlineData("ext2 -O inline_data", "inline_data")]
    public void UnsupportedFeaturesRefuseTheMountNamingThem(string type, string feature)
    {
        string image = Path.Combine(Folder, "feature.img");
        File.Delete(image);
        var words = type.Split(' ');
        Ext2Images.Run("mke2fs", ["-q", "-F", "-t", .. words, image, "8M"]);
        using var disk = new TestDisk(image, readOnly: true);
        var result = Ext2FileSystem.Mount(disk.Cache, 0);
        Assert.Null(result.FileSystem);
        Assert.Contains(feature, result.Reason);
    }

    [Fact]
    public void TheReadOnlyFileSystemRefusesEveryChange()
    {
        string tree = Path.Combine(Folder, "tree"), image = Path.Combine(Folder, "fs.img");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f"), "x");
        Ext2Images.Make(image, tree, 1024, 2);
        byte[] before = File.ReadAllBytes(image);
        using (var disk = new TestDisk(image, readOnly: false))
        {
            var fs = Ext2FileSystem.Mount(disk.Cache, 0).FileSystem!;
            Assert.Equal(0, fs.Root.Lookup(B("f"), out Vnode? f));
            Assert.Equal(-Errno.EROFS, fs.Root.Create(B("g"), 0x1a4, out _));
            Assert.Equal(-Errno.EROFS, fs.Root.MakeDirectory(B("g"), 0x1ed, out _));
            Assert.Equal(-Errno.EROFS, fs.Root.Unlink(B("f")));
            Assert.Equal(-Errno.EROFS, fs.Root.Link(B("h"), f!));
            Assert.Equal(-Errno.EROFS, f!.Write(B("y"), 0));
            Assert.Equal(-Errno.EROFS, f.Truncate(0));
            Assert.Equal(-Errno.EROFS, f.Open(OpenFlags.ReadWrite, out _));
            Assert.Equal(-Errno.EROFS, f.Access(2));
            Assert.Equal(0, f.Open(OpenFlags.ReadOnly, out OpenFile? open));
            Assert.Equal(1, open!.Read(new byte[4], 0));
            Assert.Equal(0, fs.Sync());
        }
        Assert.Equal(before, File.ReadAllBytes(image));
    }
}
