using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// An object of the host file system under the `spindle run --root` folder, named by its path
/// within the root. The VFS walks paths one component at a time, so the path it holds has no
/// symbolic links, "." or ".."; the host service still confines every access to the root.
/// The Sdk host service has no rename, symlink or truncate: those answer -EPERM / -EINVAL.
/// </summary>
internal sealed class HostVnode : Vnode
{
    private readonly IHostFileSystem _fs;
    private readonly byte[] _path;
    private readonly FileStatus _status;

    private HostVnode(IHostFileSystem fs, byte[] path, in FileStatus status) { _fs = fs; _path = path; _status = status; }

    /// <summary>The root directory of <paramref name="fs"/>; -errno if it cannot be stat'ed.</summary>
    public static int OpenRoot(IHostFileSystem fs, out HostVnode? root)
    {
        root = null;
        int r = fs.Stat("/"u8, followLinks: true, out FileStatus st);
        if (r < 0) return r;
        root = new HostVnode(fs, "/"u8.ToArray(), st);
        return 0;
    }

    public override ulong Device => _status.Device;
    public override ulong Inode => _status.Inode;
    public override uint Type => _status.Mode & FileAbi.S_IFMT;

    public override int Stat(out FileStatus status) => _fs.Stat(_path, followLinks: false, out status);

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        child = null;
        if (!IsDirectory) return -Errno.ENOTDIR;
        byte[] path = Paths.Join(_path, name);
        int r = _fs.Stat(path, followLinks: false, out FileStatus st);
        if (r < 0) return r;
        child = new HostVnode(_fs, path, st);
        return 0;
    }

    public override int ReadLink(Span<byte> target) => _fs.ReadLink(_path, target);

    public override int Open(int flags, Location where, out FileDescription? file)
    {
        file = null;
        int r = _fs.Open(_path, HostFlags(flags) | OpenFlags.NoFollow, 0, out IHostFile? host);
        if (r < 0) return r;
        file = new HostFileDescription(host!, flags & ~(LinuxAbi.O_CREAT | LinuxAbi.O_EXCL | LinuxAbi.O_TRUNC | LinuxAbi.O_NOFOLLOW | LinuxAbi.O_CLOEXEC),
            host!.IsDirectory ? where : null);
        return 0;
    }

    public override int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node)
    {
        node = null;
        byte[] path = Paths.Join(_path, name);
        int r = _fs.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, mode, out IHostFile? created);
        if (r < 0) return r;
        created!.Close();
        return Lookup(name, out node);
    }

    public override int MakeDirectory(ReadOnlySpan<byte> name, uint mode) => _fs.MakeDirectory(Paths.Join(_path, name), mode);
    public override int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target) => -Errno.EPERM;
    public override int Unlink(ReadOnlySpan<byte> name, bool directory) => _fs.Unlink(Paths.Join(_path, name), directory);
    public override int Access(int mode) => _fs.Access(_path, mode, followLinks: false);

    // Linux open flags to the host service's.
    private static OpenFlags HostFlags(int flags)
    {
        var open = (OpenFlags)(flags & LinuxAbi.O_ACCMODE);
        if ((flags & LinuxAbi.O_TRUNC) != 0) open |= OpenFlags.Truncate;
        if ((flags & LinuxAbi.O_APPEND) != 0) open |= OpenFlags.Append;
        if ((flags & LinuxAbi.O_DIRECTORY) != 0) open |= OpenFlags.Directory;
        if ((flags & LinuxAbi.O_NONBLOCK) != 0) open |= OpenFlags.NonBlocking;
        if ((flags & LinuxAbi.O_DSYNC) != 0) open |= OpenFlags.Sync;
        return open;
    }
}

/// <summary>A host file or directory opened through the file system service.</summary>
internal sealed class HostFileDescription(IHostFile file, int flags, Location? directory) : FileDescription(flags)
{
    public override long Read(Span<byte> buffer) => file.IsDirectory ? -Errno.EISDIR : file.Read(buffer);
    public override long Write(ReadOnlySpan<byte> buffer) => file.Write(buffer);
    public override long ReadAt(Span<byte> buffer, long offset) => file.IsDirectory ? -Errno.EISDIR : file.ReadAt(buffer, offset);
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => file.WriteAt(buffer, offset);
    public override long Seek(long offset, SeekWhence whence) => file.Seek(offset, whence);
    public override int Stat(out FileStatus status) => file.Stat(out status);
    public override int ReadDirectory(Span<byte> buffer) => file.IsDirectory ? file.ReadDirectory(buffer) : -Errno.ENOTDIR;
    public override Location? Directory => directory;
    public override bool Mappable => !file.IsDirectory;
    protected override void Close() => file.Close();
}
