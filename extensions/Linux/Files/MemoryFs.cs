using System;
using Spindle.Sdk.Io;
using Spindle.Sdk.Time;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// A file system held in memory (files, directories, symbolic links), the root of `spindle boot`:
/// an implementation of the Sdk's <see cref="IFileSystem"/> contract. Built empty; <see cref="Populate"/>
/// copies a host folder into it. Not thread-safe: used from the CPU's thread, like the personality.
/// </summary>
public sealed class MemoryFs : IFileSystem
{
    /// <summary>Largest file the memory file system holds (a byte[] bound).</summary>
    public const long MaxFileSize = 1L << 30;

    /// <summary>tmpfs's statfs magic number.</summary>
    private const long TmpfsMagic = 0x01021994;

    private static ulong _devices = 0x100;
    private readonly IClock? _clock;
    private ulong _inodes;

    /// <param name="clock">Stamps access/modify/change times; null leaves them at 0.</param>
    public MemoryFs(IClock? clock = null)
    {
        _clock = clock;
        Device = ++_devices;
        _root = new MemoryDirectory(this, 0x1ed);
    }

    private readonly MemoryDirectory _root;

    /// <inheritdoc/>
    public ulong Device { get; }

    /// <inheritdoc/>
    public Vnode Root => _root;

    /// <inheritdoc/>
    public int GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = new FileSystemStatistics
        {
            Type = TmpfsMagic, BlockSize = 4096, Blocks = (ulong)(MaxFileSize / 4096), FreeBlocks = (ulong)(MaxFileSize / 4096),
            AvailableBlocks = (ulong)(MaxFileSize / 4096), Files = _inodes, FreeFiles = ulong.MaxValue / 2, NameMax = FileAbi.NameMax,
        };
        return 0;
    }

    /// <inheritdoc/>
    public int Sync() => 0;
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
        int copied = CopyDirectory(folder, "/"u8.ToArray(), _root);
        if (copied < 0) return copied;
        if (_root.Lookup("tmp"u8, out _) < 0) _root.MakeDirectory("tmp"u8, 0x3ff, out _);
        if (_root.Lookup("dev"u8, out _) < 0) _root.MakeDirectory("dev"u8, 0x1ed, out _);
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
                for (int at = 0, length; at < n; at += length)
                {
                    length = Dirents.Read(buffer.AsSpan(at, n - at), out var name);
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
                r = into.MakeDirectory(name, permissions, out Vnode? sub);
                if (r < 0) return r;
                r = CopyDirectory(folder, path, (MemoryDirectory)sub!);
                return r < 0 ? r : r + 1;
            case FileAbi.S_IFLNK:
                var target = new byte[Abi.LinuxAbi.PathMax];
                r = folder.ReadLink(path, target);
                if (r < 0) return r;
                r = into.MakeSymlink(name, target.AsSpan(0, r), out _);
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
            var chunk = new byte[64 * 1024];
            long offset = 0, n;
            while ((n = source!.Read(chunk)) > 0)
            {
                long w = node!.Write(chunk.AsSpan(0, (int)n), offset);
                if (w < 0) return (int)w;
                offset += n;
            }
            return n < 0 ? (int)n : 1;
        }
        finally { source!.Close(); }
    }
}
