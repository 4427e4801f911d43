using System;
using System.Buffers.Binary;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// The host file system under the `spindle run --root` folder as an Sdk <see cref="IFileSystem"/>,
/// over the path-based host service. Its objects are named by their path within the root; the VFS
/// walks paths one component at a time, so that path has no symbolic links, "." or "..", and the host
/// service still confines every access to the root.
/// <para>Limitations: a node keeps the path it was looked up by, so after a directory above it is renamed
/// (by this or any host process) it names the old path (-ENOENT, or whatever now lies there, still inside the
/// root); a working directory renamed away is the same. setattr of a name checks that it is not a symbolic
/// link and then changes it (the host's fchmodat has no NOFOLLOW), so a host process replacing it between
/// the two could have a link's target inside the root changed instead.</para>
/// </summary>
internal sealed class HostFs : IFileSystem
{
    private HostFs(IHostFileSystem host, in FileStatus rootStatus)
    {
        Host = host;
        Device = rootStatus.Device;
        Root = new HostVnode(this, "/"u8.ToArray(), rootStatus);
    }

    /// <summary>The host service (all access goes through it).</summary>
    public IHostFileSystem Host { get; }
    public Vnode Root { get; }
    public ulong Device { get; }

    /// <summary>The file system over <paramref name="host"/>; -errno if its root cannot be stat'ed.</summary>
    public static int Open(IHostFileSystem host, out HostFs? fs)
    {
        fs = null;
        int r = host.Stat("/"u8, followLinks: true, out FileStatus st);
        if (r < 0) return r;
        fs = new HostFs(host, st);
        return 0;
    }

    public int GetStatistics(out FileSystemStatistics statistics) => Host.GetStatistics(out statistics);

    public int Sync() => 0; // every write went to the host; its own caches are the host's to flush
}

/// <summary>An object of the host file system, named by its path within the root.</summary>
internal sealed class HostVnode(HostFs fs, byte[] path, FileStatus status) : Vnode
{
    private IHostFileSystem Host => fs.Host;

    /// <summary>The path within the root this node was looked up by.</summary>
    public byte[] HostPath => path;

    public override IFileSystem FileSystem => fs;
    public override ulong Device => status.Device; // the root folder may hold other host mounts
    public override ulong Inode => status.Inode;
    public override uint Type => status.Mode & FileType.Mask;

    public override int GetAttributes(out FileStatus attributes) => Host.Stat(path, followLinks: false, out attributes);
    public override int SetAttributes(in AttributeChanges changes) => Host.SetAttributes(path, changes);
    public override int Access(int mode) => Host.Access(path, mode, followLinks: false);

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        child = null;
        if (!IsDirectory) return -Errno.ENOTDIR;
        byte[] childPath = Paths.Join(path, name);
        int r = Host.Stat(childPath, followLinks: false, out FileStatus st);
        if (r < 0) return r;
        child = new HostVnode(fs, childPath, st);
        return 0;
    }

    public override int ReadLink(Span<byte> target) => Host.ReadLink(path, target);

    public override int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        node = null;
        int r = Host.Open(Paths.Join(path, name), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, mode, out IHostFile? created);
        if (r < 0) return r;
        created!.Close();
        return Lookup(name, out node);
    }

    public override int MakeDirectory(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        node = null;
        int r = Host.MakeDirectory(Paths.Join(path, name), mode);
        return r < 0 ? r : Lookup(name, out node);
    }

    public override int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target, out Vnode? node)
    {
        node = null;
        int r = Host.MakeSymlink(target, Paths.Join(path, name));
        return r < 0 ? r : Lookup(name, out node);
    }

    public override int MakeNode(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        node = null;
        int r = Host.MakeNode(Paths.Join(path, name), mode);
        return r < 0 ? r : Lookup(name, out node);
    }

    public override int Link(ReadOnlySpan<byte> name, Vnode target)
    {
        if (target is not HostVnode from || from.FileSystem != fs) return -Errno.EXDEV;
        return Host.Link(from.HostPath, Paths.Join(path, name));
    }

    public override int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace)
    {
        if (newDirectory is not HostVnode to || to.FileSystem != fs) return -Errno.EXDEV;
        return Host.Rename(Paths.Join(path, name), Paths.Join(to.HostPath, newName), noReplace);
    }
    public override int Unlink(ReadOnlySpan<byte> name) => Host.Unlink(Paths.Join(path, name), directory: false);
    public override int RemoveDirectory(ReadOnlySpan<byte> name) => Host.Unlink(Paths.Join(path, name), directory: true);

    public override int Open(OpenFlags flags, out OpenFile? file)
    {
        file = null;
        int r = Host.Open(path, (flags & ~(OpenFlags.Create | OpenFlags.Exclusive)) | OpenFlags.NoFollow, 0, out IHostFile? host);
        if (r < 0) return r;
        file = new HostOpenFile(this, host!);
        return 0;
    }

    // The node-level data calls open the host file for the one call; the personality reads through Open's handle.
    public override long Read(Span<byte> buffer, long offset)
    {
        int r = Open(OpenFlags.ReadOnly, out OpenFile? f);
        if (r < 0) return r;
        try { return f!.Read(buffer, offset); }
        finally { f!.Release(); }
    }

    public override long Write(ReadOnlySpan<byte> buffer, long offset)
    {
        int r = Open(OpenFlags.WriteOnly, out OpenFile? f);
        if (r < 0) return r;
        try { return f!.Write(buffer, offset); }
        finally { f!.Release(); }
    }

    public override int ReadDirectory(long cookie, IDirectorySink sink)
    {
        int r = Open(OpenFlags.Directory, out OpenFile? f);
        if (r < 0) return r;
        try { return f!.ReadDirectory(cookie, sink); }
        finally { f!.Release(); }
    }
}

/// <summary>One open of a host file or directory: the host descriptor, read and written at offsets.</summary>
internal sealed class HostOpenFile(HostVnode node, IHostFile file) : OpenFile(node)
{
    private byte[]? _records;

    public override long Read(Span<byte> buffer, long offset) => file.IsDirectory ? -Errno.EISDIR : file.ReadAt(buffer, offset);
    public override long Write(ReadOnlySpan<byte> buffer, long offset) => file.IsDirectory ? -Errno.EISDIR : file.WriteAt(buffer, offset);
    public override int GetAttributes(out FileStatus status) => file.Stat(out status);
    public override int Truncate(long length) => length < 0 ? -Errno.EINVAL : file.Truncate(length);
    public override int Sync() => file.Sync(dataOnly: false);
    public override int Allocate(int mode, long offset, long length) => file.IsDirectory ? -Errno.EISDIR : file.Allocate(mode, offset, length);
    public override void Release() => file.Close();

    // The host's cookies are its d_off values: seek to the cookie, decode linux_dirent64 records, skip "." and "..".
    public override int ReadDirectory(long cookie, IDirectorySink sink)
    {
        if (!file.IsDirectory) return -Errno.ENOTDIR;
        long at = file.Seek(cookie, SeekWhence.Start);
        if (at < 0) return (int)at;
        _records ??= new byte[16 * 1024];
        int n;
        while ((n = file.ReadDirectory(_records)) > 0)
            for (int i = 0, length; i < n; i += length)
            {
                ReadOnlySpan<byte> record = _records.AsSpan(i, n - i);
                length = Dirents.Read(record, out var name);
                if (Vfs.IsDotOrEmpty(name)) continue;
                uint type = (uint)record[18] << 12; // DT_* is S_IF* >> 12
                if (!sink.Add(name, BinaryPrimitives.ReadUInt64LittleEndian(record), type, BinaryPrimitives.ReadInt64LittleEndian(record[8..])))
                    return 0;
            }
        return n;
    }
}
