using System;
using System.Buffers.Binary;
using Spindle.Sdk.Io;
using Spindle.Sdk.Time;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// A file system held in memory (files, directories, symbolic links), the root of `spindle boot`.
/// Built empty; <see cref="Populate"/> copies a host folder into it. Not thread-safe: used from the
/// CPU's thread, like the personality.
/// </summary>
public sealed class MemoryFs
{
    private static ulong _devices = 0x100;
    private readonly IClock? _clock;
    private ulong _inodes;

    /// <param name="clock">Stamps access/modify/change times; null leaves them at 0.</param>
    public MemoryFs(IClock? clock = null)
    {
        _clock = clock;
        Device = ++_devices;
        Root = new MemoryDirectory(this, 0x1ed, parent: null);
    }

    internal ulong Device { get; }
    internal MemoryDirectory Root { get; }
    internal long Now => _clock?.RealtimeNanoseconds ?? 0;
    internal ulong NextInode() => ++_inodes;

    /// <summary>
    /// Copies every directory, regular file and symbolic link of <paramref name="folder"/> (from its
    /// root) into this file system, keeping permission bits, then makes sure /tmp (sticky, world
    /// writable) and /dev exist. Returns the number of objects copied, or a negated errno if the
    /// folder cannot be read (what was copied stays).
    /// </summary>
    public int Populate(IHostFileSystem folder)
    {
        int copied = CopyDirectory(folder, "/"u8.ToArray(), Root);
        if (copied < 0) return copied;
        if (!Root.Entries.ContainsKey("tmp")) Root.MakeDirectory("tmp"u8, 0x3ff);
        if (!Root.Entries.ContainsKey("dev")) Root.MakeDirectory("dev"u8, 0x1ed);
        return copied;
    }

    // Copies the host directory at path into into; returns objects copied or -errno.
    private static int CopyDirectory(IHostFileSystem folder, byte[] path, MemoryDirectory into)
    {
        int r = folder.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory, 0, out IHostFile? dir);
        if (r < 0) return r;
        var buffer = new byte[16 * 1024];
        int copied = 0;
        try
        {
            int n;
            while ((n = dir!.ReadDirectory(buffer)) > 0)
                for (int at = 0; at < n; at += BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 16)))
                {
                    ReadOnlySpan<byte> name = buffer.AsSpan(at + 19);
                    name = name[..name.IndexOf((byte)0)];
                    if (Vfs.IsDotOrEmpty(name)) continue;
                    r = CopyEntry(folder, Paths.Join(path, name), name, into);
                    if (r < 0) return r;
                    copied += r;
                }
            return n < 0 ? n : copied;
        }
        finally { dir!.Close(); }
    }

    // Copies one host object; returns objects copied (0 for kinds the memory file system does not hold) or -errno.
    private static int CopyEntry(IHostFileSystem folder, byte[] path, ReadOnlySpan<byte> name, MemoryDirectory into)
    {
        int r = folder.Stat(path, followLinks: false, out FileStatus st);
        if (r < 0) return r;
        uint permissions = st.Mode & 0xfff;
        switch (st.Mode & FileAbi.S_IFMT)
        {
            case FileAbi.S_IFDIR:
                r = into.MakeDirectory(name, permissions);
                if (r < 0) return r;
                into.Lookup(name, out Vnode? sub);
                r = CopyDirectory(folder, path, (MemoryDirectory)sub!);
                return r < 0 ? r : r + 1;
            case FileAbi.S_IFLNK:
                var target = new byte[Abi.LinuxAbi.PathMax];
                r = folder.ReadLink(path, target);
                if (r < 0) return r;
                r = into.MakeSymlink(name, target.AsSpan(0, r));
                return r < 0 ? r : 1;
            case FileAbi.S_IFREG:
                return CopyFile(folder, path, name, permissions, into);
            default:
                return 0;
        }
    }

    private static int CopyFile(IHostFileSystem folder, byte[] path, ReadOnlySpan<byte> name, uint permissions, MemoryDirectory into)
    {
        int r = folder.Open(path, OpenFlags.ReadOnly, 0, out IHostFile? source);
        if (r < 0) return r;
        try
        {
            r = into.Create(name, permissions, out Vnode? node);
            if (r < 0) return r;
            var file = (MemoryFile)node!;
            var chunk = new byte[64 * 1024];
            long offset = 0, n;
            while ((n = source!.Read(chunk)) > 0)
            {
                long w = file.WriteAt(chunk.AsSpan(0, (int)n), offset);
                if (w < 0) return (int)w;
                offset += n;
            }
            return n < 0 ? (int)n : 1;
        }
        finally { source!.Close(); }
    }
}

/// <summary>An open memory file: an offset over <see cref="MemoryFile"/>.</summary>
internal sealed class MemoryFileDescription(MemoryFile file, int flags) : FileDescription(flags)
{
    private long _offset;

    public override long Read(Span<byte> buffer)
    {
        long n = file.ReadAt(buffer, _offset);
        if (n > 0) _offset += n;
        return n;
    }

    public override long Write(ReadOnlySpan<byte> buffer)
    {
        if (Appending) _offset = file.Size;
        long n = file.WriteAt(buffer, _offset);
        if (n > 0) _offset += n;
        return n;
    }

    public override long ReadAt(Span<byte> buffer, long offset) => file.ReadAt(buffer, offset);
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => file.WriteAt(buffer, Appending ? file.Size : offset);

    public override long Seek(long offset, SeekWhence whence)
    {
        long to = whence switch { SeekWhence.Start => offset, SeekWhence.Current => _offset + offset, _ => file.Size + offset };
        if (to < 0) return -Errno.EINVAL;
        return _offset = to;
    }

    public override int Stat(out FileStatus status) => file.Stat(out status);
    public override int Truncate(long length) => file.Truncate(length);
    public override bool Mappable => true;
}

/// <summary>An open memory directory.</summary>
internal sealed class MemoryDirectoryDescription(MemoryDirectory directory, int flags, Location where)
    : SnapshotDirectoryDescription(flags, where)
{
    public override int Stat(out FileStatus status) => directory.Stat(out status);

    protected override (byte[] Name, ulong Inode, byte Type)[] List()
    {
        var list = new (byte[], ulong, byte)[directory.Entries.Count + 2];
        list[0] = ("."u8.ToArray(), directory.Inode, FileAbi.DT_DIR);
        list[1] = (".."u8.ToArray(), directory.Parent.Inode, FileAbi.DT_DIR);
        int i = 2;
        foreach (var (name, node) in directory.Entries)
            list[i++] = (System.Text.Encoding.Latin1.GetBytes(name), node.Inode, FileAbi.DirentType(node.Mode));
        return list;
    }
}
