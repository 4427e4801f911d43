using System.Buffers.Binary;
using System.Text;
using Spindle.Extensions.Fs.Ext2;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// Seeded corruption of a mke2fs image: random bytes in the superblock, the group descriptors, the inode table,
/// directory blocks and indirect blocks, and planted lies (a directory entry naming its own ancestor, a block
/// pointer past the end, a size of 2^40, a link count of 0). For every image the mount is refused or every
/// operation of a bounded walk over the whole tree answers data or a clean errno: no exception, no hang, and the
/// kernel (the same cache, the same disk) mounts and reads the clean image afterwards.
/// </summary>
[Collection("ext2 images")]
public sealed class Ext2FuzzTests : ScratchFolder
{
    private const int Images = 400;
    internal static readonly int[] Clean = [Errno.EUCLEAN, Errno.EIO, Errno.EINVAL, Errno.ENOENT, Errno.ENOTDIR, Errno.EISDIR];

    [Fact]
    public void CorruptImagesAreRefusedOrFailCleanly()
    {
        string image = Path.Combine(Folder, "fs.img");
        byte[] big = MakeImage(Folder, image);
        byte[] clean = File.ReadAllBytes(image);
        var regions = Regions(image);

        using var disk = new TestDisk(image, readOnly: true);
        int refused = 0, mounted = 0, failures = 0;
        for (int seed = 0; seed < Images; seed++)
        {
            var bytes = (byte[])clean.Clone();
            string what = Corrupt(bytes, regions, new Random(seed));
            File.WriteAllBytes(image, bytes);
            Assert.Equal(0, disk.Cache.Invalidate(0));
            MountResult result;
            try { result = Ext2FileSystem.Mount(disk.Cache, 0); }
            catch (Exception e) { throw new Xunit.Sdk.XunitException($"seed {seed} ({what}): mount threw {e}"); }
            if (result.FileSystem is null)
            {
                Assert.True(result.Error < 0 && !string.IsNullOrEmpty(result.Reason), $"seed {seed}: a refusal has an errno and a reason");
                refused++;
                continue;
            }
            mounted++;
            try { failures += Walk(result.FileSystem.Root, seed, what); }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException) { throw new Xunit.Sdk.XunitException($"seed {seed} ({what}): threw {e}"); }
        }
        Assert.True(refused > 20 && mounted > 20 && failures > 20, $"refused {refused}, mounted {mounted}, operations failed cleanly {failures}");

        File.WriteAllBytes(image, clean);                                                  // the kernel goes on serving
        Assert.Equal(0, disk.Cache.Invalidate(0));
        var fs = Ext2FileSystem.Mount(disk.Cache, 0).FileSystem!;
        Assert.Equal(0, fs.Root.Lookup(B("big"), out Vnode? file));
        var back = new byte[big.Length];
        Assert.Equal(big.Length, file!.Read(back, 0));
        Assert.Equal(big, back);
    }

    /// <summary>Makes the image the corruptions start from (1 KiB blocks, 2 MiB) in <paramref name="folder"/>; returns the big file's bytes.</summary>
    internal static byte[] MakeImage(string folder, string image)
    {
        string tree = Path.Combine(folder, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "dir", "sub"));
        var random = new Random(5);
        var big = new byte[300_000];
        random.NextBytes(big);
        File.WriteAllBytes(Path.Combine(tree, "big"), big);                               // single and double indirect at 1 KiB
        for (int i = 0; i < 60; i++) File.WriteAllText(Path.Combine(tree, "dir", $"entry-number-{i:D3}"), new string('z', i * 11));
        File.WriteAllText(Path.Combine(tree, "dir", "sub", "leaf"), "leaf\n");
        File.CreateSymbolicLink(Path.Combine(tree, "fast"), "big");
        File.CreateSymbolicLink(Path.Combine(tree, "slow"), new string('s', 300));
        Ext2Images.Make(image, tree, 1024, 2);
        return big;
    }

    // Visits every object reachable from `root` (at most 2,000, 12 levels deep: a directory that names its ancestor
    // ends there), doing each operation its type allows. Returns how many answered an errno; fails on one that is not clean.
    internal static int Walk(Vnode root, int seed, string what)
    {
        int failures = 0, visited = 0;
        var pending = new Stack<(Vnode Node, int Depth)>();
        pending.Push((root, 0));
        var buffer = new byte[65536];
        void Check(long r, string op)
        {
            if (r >= 0) return;
            Assert.True(Clean.Contains((int)-r), $"seed {seed} ({what}): {op} answered {r}");
            failures++;
        }
        while (pending.Count > 0 && visited++ < 2000)
        {
            var (node, depth) = pending.Pop();
            Check(node.GetAttributes(out FileStatus st), "stat");
            if (node.IsDirectory && depth < 12)
            {
                var names = new Names();
                int r = node.ReadDirectory(0, names);
                Check(r, "readdir");
                foreach (var name in names.Taken)
                {
                    int l = node.Lookup(name, out Vnode? child);
                    Check(l, "lookup");
                    if (l == 0) pending.Push((child!, depth + 1));
                }
            }
            else if (node.IsSymlink) Check(node.ReadLink(buffer), "readlink");
            else if (node.Type == FileType.Regular)
                for (long offset = 0; offset < Math.Min(st.Size, 256 * 1024); offset += buffer.Length)
                {
                    long n = node.Read(buffer, offset);
                    Check(n, "read");
                    if (n <= 0) break;
                }
        }
        return failures;
    }

    private sealed class Names : IDirectorySink
    {
        public readonly List<byte[]> Taken = [];

        public bool Add(ReadOnlySpan<byte> name, ulong inode, uint type, long nextCookie)
        {
            if (Taken.Count == 500) return false;
            Taken.Add(name.ToArray());
            return true;
        }
    }

    internal sealed record Places(int InodeTable, int[] DirectoryBlocks, int[] IndirectBlocks, int DirectoryEntry, int BigInode);

    // Where the structures are in the clean image, read with the driver itself (1 KiB blocks).
    internal static Places Regions(string image)
    {
        using var disk = new TestDisk(image, readOnly: true);
        var fs = Ext2FileSystem.Mount(disk.Cache, 0).FileSystem!;
        var raw = File.ReadAllBytes(image);
        int inodeTable = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(2048 + 8));
        Assert.Equal(0, fs.Root.Lookup(B("dir"), out Vnode? dir));
        Assert.Equal(0, fs.Root.Lookup(B("big"), out Vnode? big));
        var d = (Ext2Node)dir!;
        var directories = new List<int> { (int)((Ext2Node)fs.Root).Map(0) };
        for (long i = 0; i * 1024 < d.Record.Size; i++) directories.Add((int)d.Map(i));
        var b = (Ext2Node)big!;
        int[] indirect = [(int)b.Record.Block[12], (int)b.Record.Block[13], (int)((Ext2FileSystem)fs).Pointer(b.Record.Block[13], 0)];
        return new Places(inodeTable, [.. directories], indirect, directories[1] * 1024, (int)b.Number);
    }

    // Damages one structure of `bytes`, chosen by the seed; returns what it did.
    internal static string Corrupt(byte[] bytes, Places at, Random r)
    {
        int kind = r.Next(7);
        (int start, int length, string what) = kind switch
        {
            0 => (1024, 120, "superblock"),
            1 => (2048, 32, "group descriptor"),
            2 => (at.InodeTable * 1024, 16 * 128, "inode table"),
            3 => (at.DirectoryBlocks[r.Next(at.DirectoryBlocks.Length)] * 1024, 1024, "directory block"),
            4 => (at.IndirectBlocks[r.Next(at.IndirectBlocks.Length)] * 1024, 1024, "indirect block"),
            _ => (0, 0, "lie"),
        };
        if (length > 0)
        {
            int n = 1 + r.Next(12);
            for (int i = 0; i < n; i++) bytes[start + r.Next(length)] = (byte)r.Next(256);
            return what;
        }
        Span<byte> Inode(int number) => bytes.AsSpan(at.InodeTable * 1024 + (number - 1) * 128, 128);
        switch (r.Next(5))
        {
            case 0:                                                                   // a directory naming the root: a loop
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at.DirectoryEntry + 24), 2);
                return "loop";
            case 1:
                BinaryPrimitives.WriteUInt32LittleEndian(Inode(at.BigInode)[(40 + 4 * r.Next(15))..], 0xFFFFFFF0);
                return "pointer out of range";
            case 2:
                BinaryPrimitives.WriteUInt32LittleEndian(Inode(at.BigInode)[108..], 0x100);     // size 2^40
                return "lying size";
            case 3:
                BinaryPrimitives.WriteUInt16LittleEndian(Inode(2)[26..], 0);
                return "root link count 0";
            default:
                BinaryPrimitives.WriteUInt32LittleEndian(Inode(2)[4..], 0xFFFF0000);           // root directory size
                return "lying directory size";
        }
    }
}
