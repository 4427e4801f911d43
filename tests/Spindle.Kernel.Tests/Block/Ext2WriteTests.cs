using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// ext2 writing held against e2fsprogs: a workload through the VFS contract on images made by mke2fs (empty and
/// populated with -d), then <c>e2fsck -fn</c> must find the image clean (bitmaps, free counts, link counts, block
/// maps, directory entries) and <c>debugfs rdump</c> must give back every byte, name and link text the model holds.
/// The workload covers create, write, append, truncate (down through the triple-indirect block and up with zeros),
/// rename within and across directories and over existing names, unlink, mkdir/rmdir, fast and slow symlinks, hard
/// links, sparse files, hundreds of names in one directory, and a file unlinked while open. Seeded random workloads
/// checked against the model follow.
/// </summary>
[Collection("ext2 images")]
public sealed class Ext2WriteTests : ScratchFolder
{
    [Theory]
    [InlineData(1024, 70L << 20)]       // past 12 + 256 + 65536 blocks: the triple-indirect block
    [InlineData(4096, 20L << 20)]       // into the double-indirect block
    public void AWorkloadLeavesAnImageE2fsckFindsCleanAndDebugfsReadsBack(int blockSize, long farOffset)
    {
        string image = Path.Combine(Folder, "fs.img");
        Ext2Images.Run("mke2fs", "-q", "-F", "-t", "ext2", "-b", blockSize.ToString(), image, "32M");
        var random = new Random(blockSize);
        byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
        using var m = new Ext2Model(image);
        m.MakeDirectory("a");
        m.MakeDirectory("a/b");
        m.MakeDirectory("c");
        m.Create("a/hello", "hello"u8.ToArray());
        m.Write("a/hello", 5, " world\n"u8.ToArray());                                  // append
        m.Create("big", Bytes(300_000));
        m.Truncate("big", 100_001);
        m.Truncate("big", 150_000);                                                        // grows with zeros
        m.Write("big", 140_000, Bytes(20_000));
        m.Create("sparse", []);
        m.Write("sparse", 3_000_000, Bytes(7000));
        m.Write("sparse", farOffset, Bytes(5000));
        m.Create("shrunk", Bytes(9000));
        m.Write("shrunk", farOffset, Bytes(100));
        m.Truncate("shrunk", 10);                                                          // frees the indirect trees
        m.Symlink("fast", "a/hello");
        m.Symlink("slow", string.Join('/', Enumerable.Repeat("a-long-directory-name", 12)));
        m.HardLink("a/hello", "c/hello-link");
        m.MakeDirectory("many");
        for (int i = 0; i < 300; i++) m.Create($"many/file-{i:D4}-{new string('n', i % 50)}", Bytes(i * 13 % 2000));
        for (int i = 0; i < 300; i += 3) m.Unlink($"many/file-{i:D4}-{new string('n', i % 50)}");
        for (int i = 0; i < 60; i++) m.Create($"many/again-{i}", Bytes(100));
        m.Rename("a/hello", "a/b/hello2");                                                // across directories
        m.Rename("c", "a/b/c");                                                            // a directory across: '..' and link counts
        m.Create("x", "x"u8.ToArray());
        m.Create("y", "y"u8.ToArray());
        m.Rename("x", "y");                                                                // over an existing name
        m.MakeDirectory("e1");
        m.MakeDirectory("e2");
        m.Create("e1/f", "f"u8.ToArray());
        m.Rename("e1", "e2");                                                              // a directory over an empty one
        m.MakeDirectory("gone");
        m.MakeDirectory("gone/sub");
        m.Unlink("gone/sub");
        m.Unlink("gone");

        m.Create("tmp", Bytes(50_000));                                                    // unlinked while open
        Assert.Equal(0, m.Resolve("tmp").Open(OpenFlags.ReadWrite, out OpenFile? open));
        m.Unlink("tmp");
        var back = new byte[50_000];
        Assert.Equal(back.Length, open!.Read(back, 0));
        open.Release();

        Assert.Equal(0, m.Resolve("a/b/c/hello-link").GetAttributes(out FileStatus st));
        Assert.Equal(2UL, st.LinkCount);
        Assert.Equal(0, m.Resolve("a/b").GetAttributes(out st));
        Assert.Equal(3UL, st.LinkCount);
        Assert.Equal(-Errno.ENOTEMPTY, m.Resolve("").RemoveDirectory(Ext2Model.B("a")));
        Assert.Equal(-Errno.EEXIST, m.Resolve("").Create(Ext2Model.B("big"), 0x1a4, out _));
        Assert.Equal(-Errno.EISDIR, m.Resolve("").Unlink(Ext2Model.B("a")));
        Assert.Equal(-Errno.ENAMETOOLONG, m.Resolve("").Create(new byte[256], 0x1a4, out _));
        Assert.Equal(0, m.Resolve("y").SetAttributes(new AttributeChanges { Valid = AttributeMask.Mode | AttributeMask.Uid, Mode = 0x1c0, Uid = 1000 }));
        Assert.Equal(0, m.Resolve("y").GetAttributes(out st));
        Assert.Equal((FileType.Regular | 0x1c0u, 1000u), (st.Mode, st.Uid));
        m.Check(Folder);
        Assert.Contains("mode 0700", Ext2Images.Run("debugfs", "-R", "stat /y", image).Replace("Mode:  0", "mode 0"));
    }

    [Fact]
    public void TheInodeTableIsBoundedAndAHeldNodeSeesChangesMadeThroughANewerOne()
    {
        string image = Path.Combine(Folder, "fs.img");
        Ext2Images.Run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-N", "6000", image, "16M");
        using var m = new Ext2Model(image);
        m.Create("held", "old"u8.ToArray());
        var held = m.Resolve("held");
        m.MakeDirectory("many");
        for (int i = 0; i < 4200; i++) m.Create($"many/{i}", []);                      // more inodes than the table holds
        var again = m.Resolve("held");
        Assert.NotSame(held, again);
        Assert.True(held.Same(again));
        m.Write("held", 3, " and new"u8.ToArray());
        var back = new byte[64];
        Assert.Equal(11, held.Read(back, 0));
        Assert.Equal("old and new", System.Text.Encoding.ASCII.GetString(back, 0, 11));
        m.Unlink("held");
        Assert.Equal(-Errno.ENOENT, held.Read(back, 0));                                 // freed: the old object knows
        m.Create("reuse", "r"u8.ToArray());                                               // may take the freed number
        Assert.Equal(-Errno.ENOENT, held.Write("x"u8, 0));
        m.Check(Folder);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SeededRandomWorkloadsMatchTheModel(int seed)
    {
        string tree = Path.Combine(Folder, "tree"), image = Path.Combine(Folder, "fs.img");
        Directory.CreateDirectory(Path.Combine(tree, "d", "e"));
        File.WriteAllText(Path.Combine(tree, "d", "one"), "one\n");
        File.WriteAllBytes(Path.Combine(tree, "blob"), new byte[70_000]);
        Ext2Images.Make(image, tree, seed % 2 == 0 ? 1024 : 2048, 16);
        var random = new Random(seed);
        using var m = new Ext2Model(image);
        m.Load(tree);
        int made = 0;
        for (int op = 0; op < 400; op++)
        {
            var dirs = m.Tree.Where(e => e.Value is "dir").Select(e => e.Key).Prepend("").ToList();
            var files = m.Tree.Where(e => e.Value is Ext2Model.Data).Select(e => e.Key).ToList();
            string dir = dirs[random.Next(dirs.Count)], fresh = (dir == "" ? "" : dir + "/") + "n" + made++ + new string('q', random.Next(40));
            byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
            string Any(List<string> from) => from[random.Next(from.Count)];
            switch (random.Next(11))
            {
                case 0: case 1: m.Create(fresh, Bytes(random.Next(20_000))); break;
                case 2 when files.Count > 0: m.Write(Any(files), random.Next(400_000), Bytes(1 + random.Next(9000))); break;
                case 3 when files.Count > 0:
                    var f = Any(files);
                    m.Write(f, ((Ext2Model.Data)m.Tree[f]).Bytes.Length, Bytes(random.Next(5000)));
                    break;
                case 4 when files.Count > 0: m.Truncate(Any(files), random.Next(30_000)); break;
                case 5 when files.Count > 0: m.Unlink(Any(files)); break;
                case 6: m.MakeDirectory(fresh); break;
                case 7 when dirs.Count > 1:
                    var empty = dirs.Skip(1).Where(d => !m.Tree.Keys.Any(k => k.StartsWith(d + "/", StringComparison.Ordinal))).ToList();
                    if (empty.Count > 0) m.Unlink(Any(empty));
                    break;
                case 8 when files.Count > 1:
                    m.Rename(Any(files), random.Next(2) == 0 ? fresh : Any(files));
                    break;
                case 9 when dirs.Count > 1:
                    var from = Any(dirs.Skip(1).ToList());
                    if (!fresh.StartsWith(from + "/", StringComparison.Ordinal)) m.Rename(from, fresh);
                    break;
                case 10 when files.Count > 0:
                    if (random.Next(2) == 0) m.HardLink(Any(files), fresh);
                    else m.Symlink(fresh, new string('t', 1 + random.Next(random.Next(2) == 0 ? 50 : 900)));
                    break;
            }
        }
        m.Check(Folder);
    }
}
