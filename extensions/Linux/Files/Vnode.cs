using System;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// A file-system object (inode) as the VFS sees it. Directory operations take one name (never
/// "", "." or ".."; the VFS handles those); results are 0 or a count, or a negated errno. The
/// defaults answer as Linux does for an object that cannot do the operation.
/// </summary>
internal abstract class Vnode
{
    /// <summary>Device and inode numbers: together they identify the object.</summary>
    public abstract ulong Device { get; }
    public abstract ulong Inode { get; }

    /// <summary>st_mode's file-type bits (FileAbi.S_IF*).</summary>
    public abstract uint Type { get; }

    public bool IsDirectory => Type == FileAbi.S_IFDIR;
    public bool IsSymlink => Type == FileAbi.S_IFLNK;

    public abstract int Stat(out FileStatus status);

    /// <summary>Opens the object with open(2) <paramref name="flags"/> (O_TRUNC, O_APPEND... apply; O_CREAT is done).</summary>
    public abstract int Open(int flags, Location where, out FileDescription? file);

    /// <summary>Finds <paramref name="name"/> in this directory; -ENOENT if absent.</summary>
    public virtual int Lookup(ReadOnlySpan<byte> name, out Vnode? child) { child = null; return -Errno.ENOTDIR; }

    /// <summary>Copies a symbolic link's target into <paramref name="target"/> (truncated); returns its full length.</summary>
    public virtual int ReadLink(Span<byte> target) => -Errno.EINVAL;

    /// <summary>Creates a regular file <paramref name="name"/> (-EEXIST if the name exists).</summary>
    public virtual int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node) { node = null; return IsDirectory ? -Errno.EROFS : -Errno.ENOTDIR; }

    public virtual int MakeDirectory(ReadOnlySpan<byte> name, uint mode) => IsDirectory ? -Errno.EROFS : -Errno.ENOTDIR;
    public virtual int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target) => IsDirectory ? -Errno.EROFS : -Errno.ENOTDIR;

    /// <summary>Removes <paramref name="name"/>: a non-directory, or an empty directory if <paramref name="directory"/>.</summary>
    public virtual int Unlink(ReadOnlySpan<byte> name, bool directory) => IsDirectory ? -Errno.EROFS : -Errno.ENOTDIR;

    /// <summary>Moves <paramref name="name"/> to <paramref name="newName"/> in <paramref name="newDirectory"/> (same file system), replacing it unless <paramref name="noReplace"/>.</summary>
    public virtual int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace) => -Errno.EXDEV;

    /// <summary>Sets a regular file's length.</summary>
    public virtual int Truncate(long length) => IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;

    /// <summary>Checks R_OK 4 | W_OK 2 | X_OK 1 (0: existence) for the calling user.</summary>
    public virtual int Access(int mode)
    {
        int r = Stat(out FileStatus st);
        if (r < 0) return r;
        uint owner = (st.Mode >> 6) & 7;
        return (mode & ~(int)owner) == 0 ? 0 : -Errno.EACCES;
    }

    /// <summary>True if <paramref name="other"/> is the same object.</summary>
    public bool Same(Vnode other) =>
        ReferenceEquals(this, other) || (GetType() == other.GetType() && Device == other.Device && Inode == other.Inode);
}
