using System.Text;
using Spindle.Extensions.Fs.Ext2;
using Spindle.Kernel.Services;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// A mounted, writable ext2 image driven by paths, with an in-memory model of what it must hold: every operation
/// goes to the file system through the VFS contract and, when it succeeds, to the model. At the end the image is
/// checked by e2fsprogs: <c>e2fsck -fn</c> must find nothing to fix, and <c>debugfs rdump</c> must give back the
/// model's tree (names, file bytes, link texts).
/// </summary>
internal sealed class Ext2Model : IDisposable
{
    private readonly TestDisk _disk;
    private bool _closed;

    /// <summary>Paths (relative, '/'-separated) of directories, files (shared data for hard links) and symlinks.</summary>
    public readonly SortedDictionary<string, object> Tree = new(StringComparer.Ordinal);

    public Ext2Model(string image)
    {
        Image = image;
        _disk = new TestDisk(image, readOnly: false);
        var result = Ext2FileSystem.Mount(_disk.Cache, 0, readOnly: false, new HostClock());
        Assert.True(result.FileSystem != null, result.Reason);
        Fs = (Ext2FileSystem)result.FileSystem!;
    }

    public string Image { get; }
    public Ext2FileSystem Fs { get; }

    /// <summary>A file's bytes (one object per inode: hard links share it).</summary>
    public sealed class Data { public byte[] Bytes = []; }

    /// <summary>A symbolic link's text.</summary>
    public sealed record Link(string Target);

    /// <summary>Reads the host folder an image was made from (mke2fs -d, no hard links) into the model.</summary>
    public void Load(string host) => Scan(host, "", Tree);

    // Reads a host tree: directories, files (their bytes), symbolic links (their text); not into lost+found.
    private static void Scan(string host, string prefix, SortedDictionary<string, object> into)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(host))
        {
            string name = prefix + Path.GetFileName(path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) into[name] = new Link(target);
            else if (Directory.Exists(path)) { into[name] = "dir"; if (name != "lost+found") Scan(path, name + "/", into); }
            else into[name] = new Data { Bytes = File.ReadAllBytes(path) };
        }
    }

    public Vnode Resolve(string path)
    {
        Vnode node = Fs.Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            Assert.Equal(0, node.Lookup(B(part), out node!));
        return node;
    }

    private (Vnode Parent, byte[] Name) Split(string path)
    {
        int slash = path.LastIndexOf('/');
        return (Resolve(slash < 0 ? "" : path[..slash]), B(path[(slash + 1)..]));
    }

    public void Create(string path, byte[] bytes)
    {
        var (dir, name) = Split(path);
        Assert.Equal(0, dir.Create(name, 0x1a4, out Vnode? file));
        if (bytes.Length > 0) Assert.Equal(bytes.Length, file!.Write(bytes, 0));
        Tree[path] = new Data { Bytes = bytes };
    }

    public void Write(string path, long offset, byte[] bytes)
    {
        Assert.Equal(bytes.Length, Resolve(path).Write(bytes, offset));
        var data = (Data)Tree[path];
        if (offset + bytes.Length > data.Bytes.Length) Array.Resize(ref data.Bytes, (int)(offset + bytes.Length));
        bytes.CopyTo(data.Bytes, offset);
    }

    public void Truncate(string path, int length)
    {
        Assert.Equal(0, Resolve(path).Truncate(length));
        var data = (Data)Tree[path];
        Array.Resize(ref data.Bytes, length);
    }

    public void MakeDirectory(string path)
    {
        var (dir, name) = Split(path);
        Assert.Equal(0, dir.MakeDirectory(name, 0x1ed, out _));
        Tree[path] = "dir";
    }

    public void Symlink(string path, string target)
    {
        var (dir, name) = Split(path);
        Assert.Equal(0, dir.MakeSymlink(name, B(target), out _));
        Tree[path] = new Link(target);
    }

    public void HardLink(string existing, string path)
    {
        var (dir, name) = Split(path);
        Assert.Equal(0, dir.Link(name, Resolve(existing)));
        Tree[path] = Tree[existing];
    }

    public void Unlink(string path)
    {
        var (dir, name) = Split(path);
        Assert.Equal(0, Tree[path] is "dir" ? dir.RemoveDirectory(name) : dir.Unlink(name));
        Tree.Remove(path);
    }

    public void Rename(string from, string to)
    {
        var (a, aName) = Split(from);
        var (b, bName) = Split(to);
        Assert.Equal(0, a.Rename(aName, b, bName, noReplace: false));
        if (Tree.TryGetValue(to, out var old) && ReferenceEquals(old, Tree[from]) && old is Data) return;   // two names of one file: nothing changes
        var moved = Tree.Where(e => e.Key == from || e.Key.StartsWith(from + "/", StringComparison.Ordinal)).ToList();
        foreach (var e in Tree.Where(e => e.Key == to || e.Key.StartsWith(to + "/", StringComparison.Ordinal)).ToList()) Tree.Remove(e.Key);
        foreach (var e in moved) Tree.Remove(e.Key);
        foreach (var e in moved) Tree[to + e.Key[from.Length..]] = e.Value;
    }

    /// <summary>Syncs, closes the disk, and holds the image against the model with e2fsck and debugfs.</summary>
    public void Check(string scratch)
    {
        Assert.Equal(0, Fs.Sync());
        Dispose();
        Assert.Contains("Pass 5", Ext2Images.Run("e2fsck", "-fn", Image));       // throws with the report unless clean
        string dump = Path.Combine(scratch, "dump");
        if (Directory.Exists(dump)) Directory.Delete(dump, recursive: true);
        Directory.CreateDirectory(dump);
        Ext2Images.Run("debugfs", "-R", "rdump / " + dump, Image);
        var found = new SortedDictionary<string, object>(StringComparer.Ordinal);
        Scan(dump, "", found);
        found.Remove("lost+found");
        Assert.Equal(Tree.Keys, found.Keys);
        foreach (var (path, what) in Tree)
            switch (what)
            {
                case Data d: Assert.True(d.Bytes.AsSpan().SequenceEqual(((Data)found[path]).Bytes), $"{path}: the bytes debugfs reads differ"); break;
                case Link l: Assert.Equal(l.Target, ((Link)found[path]).Target); break;
                default: Assert.Equal("dir", found[path]); break;
            }
    }

    public void Dispose()
    {
        if (!_closed) _disk.Dispose();
        _closed = true;
    }

    public static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
}
