using Spindle.Extensions.Fs.Ext2;
using Spindle.Kernel.Services;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// The corruption corpus of <see cref="Ext2FuzzTests"/> (random bytes in the superblock, group descriptors, inode
/// table, directory and indirect blocks; loops, pointers out of range, lying sizes and link counts), now mounted
/// read-write and changed: creates, writes, truncates, unlinks, renames, mkdir/rmdir, links and symlinks each answer
/// success or a clean errno, nothing throws or hangs, and no write reaches past the file system (a trailer after it
/// on the disk keeps its bytes). Every fifth image is mounted read-only: then not one byte of it changes.
/// </summary>
[Collection("ext2 images")]
public sealed class Ext2WriteFuzzTests : ScratchFolder
{
    private const int Images = 300;
    private static readonly int[] Clean = [.. Ext2FuzzTests.Clean, Errno.ENOSPC, Errno.EEXIST, Errno.ENOTEMPTY, Errno.EMLINK, Errno.EFBIG, Errno.EROFS];

    [Fact]
    public void CorruptImagesMountedReadWriteFailCleanlyAndNeverWritePastTheFileSystem()
    {
        string image = Path.Combine(Folder, "fs.img");
        Ext2FuzzTests.MakeImage(Folder, image);
        byte[] fs = File.ReadAllBytes(image);
        var regions = Ext2FuzzTests.Regions(image);
        var trailer = Enumerable.Repeat((byte)0xa5, 64 * 1024).ToArray();
        File.WriteAllBytes(image, [.. fs, .. trailer]);

        using var disk = new TestDisk(image, readOnly: false);
        int mounted = 0, failures = 0, readOnly = 0;
        for (int seed = 0; seed < Images; seed++)
        {
            var bytes = (byte[])fs.Clone();
            string what = Ext2FuzzTests.Corrupt(bytes, regions, new Random(1000 + seed));
            byte[] before = [.. bytes, .. trailer];
            File.WriteAllBytes(image, before);
            Assert.Equal(0, disk.Cache.Invalidate(0));
            bool ro = seed % 5 == 0;
            try
            {
                var result = Ext2FileSystem.Mount(disk.Cache, 0, ro, new HostClock());
                if (result.FileSystem is null) continue;
                mounted++;
                readOnly += ro ? 1 : 0;
                failures += Change(result.FileSystem.Root, seed, what);
                failures += Ext2FuzzTests.Walk(result.FileSystem.Root, seed, what);
                long s = result.FileSystem.Sync();
                Assert.True(s == 0 || s == -Errno.EIO, $"seed {seed}: sync answered {s}");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException) { throw new Xunit.Sdk.XunitException($"seed {seed} ({what}): threw {e}"); }
            var after = File.ReadAllBytes(image);
            Assert.Equal(before.Length, after.Length);
            Assert.True(after.AsSpan(fs.Length).SequenceEqual(trailer), $"seed {seed} ({what}): a write past the file system");
            if (ro) Assert.True(after.AsSpan().SequenceEqual(before), $"seed {seed} ({what}): a read-only mount wrote");
        }
        Assert.True(mounted > 100 && readOnly > 20 && failures > 20, $"mounted {mounted} ({readOnly} read-only), clean failures {failures}");
    }

    // A bounded set of changes all over the tree; returns how many answered a (clean) errno.
    private static int Change(Vnode root, int seed, string what)
    {
        int failures = 0;
        void Check(long r, string op)
        {
            if (r >= 0) return;
            Assert.True(Clean.Contains((int)-r), $"seed {seed} ({what}): {op} answered {r}");
            failures++;
        }
        var data = new byte[20_000];
        new Random(seed).NextBytes(data);
        Check(root.Create("new"u8, 0x1a4, out Vnode? made), "create");
        if (made != null) Check(made.Write(data, 5000), "write");
        if (root.Lookup("big"u8, out Vnode? big) == 0)
        {
            Check(big!.Write(data, 250_000), "write big");
            Check(big.Truncate(1000), "truncate big");
            Check(big.Write(data, 90_000), "write a hole");
        }
        Check(root.MakeDirectory("nd"u8, 0x1ed, out _), "mkdir");
        Check(root.MakeSymlink("sl"u8, new byte[300], out _), "symlink");
        if (root.Lookup("dir"u8, out Vnode? dir) == 0 && dir!.IsDirectory)
        {
            for (int i = 0; i < 60; i += 7) Check(dir.Unlink(Ext2Model.B($"entry-number-{i:D3}")), "unlink");
            for (int i = 0; i < 20; i++) Check(dir.Create(Ext2Model.B($"created-{i}"), 0x1a4, out _), "create in dir");
            Check(dir.Rename("sub"u8, root, "moved"u8, noReplace: false), "rename a directory");
            if (made != null) Check(dir.Link("hard"u8, made), "link");
            Check(dir.Rename("entry-number-001"u8, dir, "entry-number-002"u8, noReplace: false), "rename over");
        }
        Check(root.RemoveDirectory("nd"u8), "rmdir");
        Check(root.Unlink("fast"u8), "unlink symlink");
        return failures;
    }
}
