using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

// The path operations of the system calls, on top of resolution. Each returns 0 (or a count) or -errno.
internal sealed partial class Vfs
{
    /// <summary>The ids of whoever creates an object (it is given to them when the file system made it someone else's); null: left as the file system made it.</summary>
    public readonly record struct Creator(uint Uid, uint Gid);

    // Gives a new object to its creator: file systems make objects as they will (the memory file system as
    // root, the host's as the host process), Linux makes them the caller's.
    private static void Own(Vnode? node, Creator? owner)
    {
        if (owner is not { } creator || node == null || node.GetAttributes(out FileStatus st) < 0 || (st.Uid == creator.Uid && st.Gid == creator.Gid)) return;
        node.SetAttributes(new AttributeChanges { Valid = AttributeMask.Uid | AttributeMask.Gid, Uid = creator.Uid, Gid = creator.Gid });
    }

    /// <summary>open(2): resolves (creating with O_CREAT, for <paramref name="creator"/>), checks the flags against the object and opens it.</summary>
    public int Open(Location start, ReadOnlySpan<byte> path, int flags, uint mode, out FileDescription? file, Creator? creator = null)
    {
        file = null;
        int access = flags & LinuxAbi.O_ACCMODE;
        bool create = (flags & LinuxAbi.O_CREAT) != 0;
        int r = Lookup(start, path, followFinal: (flags & LinuxAbi.O_NOFOLLOW) == 0, out Location? at);
        if (r == -Errno.ENOENT && create)
        {
            r = ResolveParent(start, path, out Location? parent, out byte[] name, out bool trailingSlash);
            if (r < 0) return r;
            if (trailingSlash || IsDotOrEmpty(name)) return -Errno.EISDIR;
            r = parent!.Node.Create(name, mode & 0xfff, out Vnode? node);
            if (r < 0) return r;
            Own(node, creator);
            return OpenNode(parent.Child(node!, name), flags & ~LinuxAbi.O_TRUNC, out file);
        }
        if (r < 0) return r;
        if (create && (flags & LinuxAbi.O_EXCL) != 0) return -Errno.EEXIST;
        Vnode target = at!.Node;
        if (target.IsSymlink) return -Errno.ELOOP; // O_NOFOLLOW on a link
        if (target.IsDirectory && (access != 0 || create || (flags & LinuxAbi.O_TRUNC) != 0)) return -Errno.EISDIR;
        if (!target.IsDirectory && (flags & LinuxAbi.O_DIRECTORY) != 0) return -Errno.ENOTDIR;
        int rights = (access != 1 ? 4 : 0) | (access != 0 ? 2 : 0);
        r = target.Access(rights);
        return r < 0 ? r : OpenNode(at, flags, out file);
    }

    /// <summary>
    /// Opens the object at <paramref name="at"/> (resolved, access checked) with open(2) <paramref name="flags"/>:
    /// a device node through the character-device drivers, a regular file or directory through its file
    /// system's <see cref="Vnode.Open"/> (which applies O_TRUNC); a symbolic link is -ELOOP.
    /// </summary>
    public int OpenNode(Location at, int flags, out FileDescription? file)
    {
        file = null;
        Vnode node = at.Node;
        if (node.Type == FileType.CharacterDevice)
        {
            int opened = _devices?.Open(node, flags, out file) ?? -Errno.ENXIO;
            if (opened == 0) file!.OpenedAt = at;
            return opened;
        }
        if (node.IsSymlink) return -Errno.ELOOP;
        if (node.Type == FileType.Fifo) return -Errno.ENXIO; // no named-pipe driver yet (and a host FIFO must never block the CPU's thread)
        int r = node.Open(FileAbi.SdkOpenFlags(flags), out OpenFile? open);
        if (r < 0) return r;
        int statusFlags = flags & ~(LinuxAbi.O_CREAT | LinuxAbi.O_EXCL | LinuxAbi.O_TRUNC | LinuxAbi.O_NOFOLLOW | LinuxAbi.O_CLOEXEC);
        file = node.IsDirectory ? new DirectoryDescription(open!, statusFlags, at) : new NodeFileDescription(open!, statusFlags);
        file.OpenedAt = at;
        return 0;
    }

    /// <summary>stat / lstat of a path.</summary>
    public int Stat(Location start, ReadOnlySpan<byte> path, bool followFinal, out FileStatus status)
    {
        status = default;
        int r = Lookup(start, path, followFinal, out Location? at);
        return r < 0 ? r : at!.Node.GetAttributes(out status);
    }

    /// <summary>readlink: copies the link's target (truncated to the buffer); returns the bytes copied.</summary>
    public int ReadLink(Location start, ReadOnlySpan<byte> path, Span<byte> target)
    {
        int r = Lookup(start, path, followFinal: false, out Location? at);
        if (r < 0) return r;
        r = at!.Node.ReadLink(target);
        return r < 0 ? r : Math.Min(r, target.Length);
    }

    /// <summary>access / faccessat.</summary>
    public int Access(Location start, ReadOnlySpan<byte> path, int mode, bool followFinal)
    {
        int r = Lookup(start, path, followFinal, out Location? at);
        return r < 0 ? r : at!.Node.Access(mode);
    }

    /// <summary>mkdir.</summary>
    public int MakeDirectory(Location start, ReadOnlySpan<byte> path, uint mode, Creator? creator = null)
    {
        int r = ResolveParent(start, path, out Location? parent, out byte[] name, out _);
        if (r < 0) return r;
        if (IsDotOrEmpty(name) || IsMountPoint(parent!, name)) return -Errno.EEXIST;
        r = parent!.Node.MakeDirectory(name, mode & FileType.PermissionMask, out Vnode? node);
        if (r == 0) Own(node, creator);
        return r;
    }

    /// <summary>mknod of a FIFO or regular file (<paramref name="mode"/>: type and permission bits, the umask applied).</summary>
    public int MakeNode(Location start, ReadOnlySpan<byte> path, uint mode, Creator? creator = null)
    {
        int r = ResolveParent(start, path, out Location? parent, out byte[] name, out bool trailingSlash);
        if (r < 0) return r;
        if (IsDotOrEmpty(name) || IsMountPoint(parent!, name)) return -Errno.EEXIST;
        if (trailingSlash) return -Errno.ENOENT;
        r = parent!.Node.Lookup(name, out _);
        if (r == 0) return -Errno.EEXIST;
        if (r != -Errno.ENOENT) return r;
        r = parent.Node.MakeNode(name, mode, out Vnode? node);
        if (r == 0) Own(node, creator);
        return r;
    }

    /// <summary>symlink: creates <paramref name="path"/> pointing at <paramref name="target"/>.</summary>
    public int MakeSymlink(ReadOnlySpan<byte> target, Location start, ReadOnlySpan<byte> path, Creator? creator = null)
    {
        if (target.Length == 0) return -Errno.ENOENT;
        int r = ResolveParent(start, path, out Location? parent, out byte[] name, out bool trailingSlash);
        if (r < 0) return r;
        if (IsDotOrEmpty(name) || IsMountPoint(parent!, name)) return -Errno.EEXIST;
        if (trailingSlash) return -Errno.ENOENT;
        r = parent!.Node.MakeSymlink(name, target, out Vnode? node);
        if (r == 0) Own(node, creator);
        return r;
    }

    /// <summary>unlink, or rmdir if <paramref name="directory"/>.</summary>
    public int Unlink(Location start, ReadOnlySpan<byte> path, bool directory)
    {
        int r = ResolveParent(start, path, out Location? parent, out byte[] name, out bool trailingSlash);
        if (r < 0) return r;
        if (name.Length == 0) return directory ? -Errno.EBUSY : -Errno.EISDIR;
        if (name.SequenceEqual("."u8)) return directory ? -Errno.EINVAL : -Errno.EISDIR;
        if (name.SequenceEqual(".."u8)) return directory ? -Errno.ENOTEMPTY : -Errno.EISDIR;
        if (IsMountPoint(parent!, name)) return -Errno.EBUSY;
        if (trailingSlash && !directory)
        {
            r = parent!.Node.Lookup(name, out Vnode? node);
            return r < 0 ? r : node!.IsDirectory ? -Errno.EISDIR : -Errno.ENOTDIR;
        }
        return directory ? parent!.Node.RemoveDirectory(name) : parent!.Node.Unlink(name);
    }

    /// <summary>rename / renameat2 (RENAME_NOREPLACE only).</summary>
    public int Rename(Location oldStart, ReadOnlySpan<byte> oldPath, Location newStart, ReadOnlySpan<byte> newPath, bool noReplace)
    {
        int r = ResolveParent(oldStart, oldPath, out Location? from, out byte[] oldName, out _);
        if (r < 0) return r;
        r = ResolveParent(newStart, newPath, out Location? to, out byte[] newName, out _);
        if (r < 0) return r;
        if (IsDotOrEmpty(oldName) || IsDotOrEmpty(newName)) return -Errno.EBUSY;
        if (IsMountPoint(from!, oldName) || IsMountPoint(to!, newName)) return -Errno.EBUSY;
        if (!ReferenceEquals(from!.Node.FileSystem, to!.Node.FileSystem)) return -Errno.EXDEV;
        // A directory may not move below itself.
        r = from.Node.Lookup(oldName, out Vnode? moving);
        if (r < 0) return r;
        for (Location? at = to; at != null; at = at.Parent)
            if (at.Node.Same(moving!)) return -Errno.EINVAL;
        return from.Node.Rename(oldName, to.Node, newName, noReplace);
    }

    /// <summary>link / linkat: makes <paramref name="newPath"/> a new name of the non-directory <paramref name="oldPath"/> (its final link followed only if <paramref name="followFinal"/>).</summary>
    public int Link(Location oldStart, ReadOnlySpan<byte> oldPath, bool followFinal, Location newStart, ReadOnlySpan<byte> newPath)
    {
        int r = Resolve(oldStart, oldPath, followFinal, out Location? old);
        return r < 0 ? r : Link(old!.Node, newStart, newPath);
    }

    /// <summary>linkat with AT_EMPTY_PATH: makes <paramref name="newPath"/> a new name of <paramref name="old"/>.</summary>
    public int Link(Vnode old, Location newStart, ReadOnlySpan<byte> newPath)
    {
        if (old.IsDirectory) return -Errno.EPERM;
        int r = ResolveParent(newStart, newPath, out Location? parent, out byte[] name, out bool trailingSlash);
        if (r < 0) return r;
        if (IsDotOrEmpty(name) || IsMountPoint(parent!, name)) return -Errno.EEXIST;
        if (trailingSlash) return -Errno.ENOENT;
        if (!ReferenceEquals(parent!.Node.FileSystem, old.FileSystem)) return -Errno.EXDEV;
        return parent.Node.Link(name, old);
    }

    /// <summary>truncate(2).</summary>
    public int Truncate(Location start, ReadOnlySpan<byte> path, long length)
    {
        if (length < 0) return -Errno.EINVAL;
        int r = Resolve(start, path, followFinal: true, out Location? at);
        if (r < 0) return r;
        r = at!.Node.Access(2);
        return r < 0 ? r : at.Node.Truncate(length);
    }

    /// <summary>chdir: the directory <paramref name="path"/> names (searchable).</summary>
    public int ChangeDirectory(Location start, ReadOnlySpan<byte> path, out Location? directory)
    {
        int r = Resolve(start, path, followFinal: true, out directory);
        if (r < 0) return r;
        if (!directory!.Node.IsDirectory) { directory = null; return -Errno.ENOTDIR; }
        return directory.Node.Access(1);
    }
}
