using System;
using Spindle.Sdk.Io;

namespace Spindle.Sdk.Vfs;

/// <summary>
/// One object of a file system (an inode): a regular file, directory, symbolic link or device node.
/// This is the whole contract between a file system and the personality that mounts it.
/// <para>Names: directory operations take one component, never "", "." or ".." and never containing
/// '/'; the personality walks paths, follows links, crosses mount points and handles "." and "..".
/// It has checked that the node is a directory before a directory operation.</para>
/// <para>Results: 0 (or a count) on success, a negated <see cref="Errno"/> on failure. The defaults
/// answer as Linux does for an object that cannot do the operation, so a read-only file system
/// overrides only what it offers.</para>
/// <para>Identity: <see cref="FileSystem"/>, <see cref="Device"/> and <see cref="Inode"/> together
/// name the object; two Vnode instances with the same three are the same object (<see cref="Same"/>).</para>
/// <para>Data: <see cref="Read"/>, <see cref="Write"/> and <see cref="ReadDirectory"/> work at an
/// offset (a cookie for directories) that the caller keeps. <see cref="Open"/> gives a handle for one
/// open; by default the handle forwards to these node operations, and a file system with per-open
/// state (a host descriptor, a generated text) overrides it.</para>
/// <para>Threading: called from the CPU's thread only, one call at a time.</para>
/// </summary>
public abstract class Vnode
{
    /// <summary>The mounted file system this object belongs to.</summary>
    public abstract IFileSystem FileSystem { get; }

    /// <summary>The inode number (st_ino): unique within <see cref="Device"/> while the object exists.</summary>
    public abstract ulong Inode { get; }

    /// <summary>The device number (st_dev); by default the file system's.</summary>
    public virtual ulong Device => FileSystem.Device;

    /// <summary>The file-type bits of st_mode (<see cref="FileType"/>); they never change.</summary>
    public abstract uint Type { get; }

    /// <summary>True for a directory.</summary>
    public bool IsDirectory => Type == FileType.Directory;

    /// <summary>True for a symbolic link.</summary>
    public bool IsSymlink => Type == FileType.Symlink;

    /// <summary>True if <paramref name="other"/> is the same object (same file system, device and inode).</summary>
    public bool Same(Vnode other) =>
        ReferenceEquals(this, other) || (ReferenceEquals(FileSystem, other.FileSystem) && Device == other.Device && Inode == other.Inode);

    /// <summary>getattr: mode, owner, link count, size, times (st_dev/st_ino as <see cref="Device"/>/<see cref="Inode"/>).</summary>
    public abstract int GetAttributes(out FileStatus status);

    /// <summary>setattr: applies the fields <paramref name="changes"/> names. Size on a directory is -EISDIR, on other non-files -EINVAL.</summary>
    public virtual int SetAttributes(in AttributeChanges changes) => -Errno.EPERM;

    /// <summary>truncate: sets a regular file's length (a <see cref="SetAttributes"/> of the size only).</summary>
    public int Truncate(long length) => length < 0 ? -Errno.EINVAL : SetAttributes(AttributeChanges.OfSize(length));

    /// <summary>
    /// permission: checks <paramref name="mode"/> (R_OK 4 | W_OK 2 | X_OK 1; 0 is existence) for the
    /// calling user. The default checks the owner's bits of the mode.
    /// </summary>
    public virtual int Access(int mode)
    {
        int r = GetAttributes(out FileStatus st);
        if (r < 0) return r;
        uint owner = (st.Mode >> 6) & 7;
        return (mode & ~(int)owner) == 0 ? 0 : -Errno.EACCES;
    }

    /// <summary>lookup: finds <paramref name="name"/> in this directory; -ENOENT if absent.</summary>
    public virtual int Lookup(ReadOnlySpan<byte> name, out Vnode? child) { child = null; return -Errno.ENOTDIR; }

    /// <summary>create: makes a regular file <paramref name="name"/> with permission bits <paramref name="mode"/>; -EEXIST if the name is taken.</summary>
    public virtual int Create(ReadOnlySpan<byte> name, uint mode, out Vnode? node) { node = null; return NotHere(); }

    /// <summary>mkdir: makes an empty directory <paramref name="name"/>; -EEXIST if the name is taken.</summary>
    public virtual int MakeDirectory(ReadOnlySpan<byte> name, uint mode, out Vnode? node) { node = null; return NotHere(); }

    /// <summary>symlink: makes a symbolic link <paramref name="name"/> whose text is <paramref name="target"/> (not interpreted).</summary>
    public virtual int MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target, out Vnode? node) { node = null; return NotHere(); }

    /// <summary>
    /// mknod: makes <paramref name="name"/> a FIFO or an empty regular file, as the type bits of
    /// <paramref name="mode"/> say (<see cref="FileType.Fifo"/>, <see cref="FileType.Regular"/>), with its
    /// permission bits; -EEXIST if the name is taken. Device nodes are the personality's (-EPERM here).
    /// </summary>
    public virtual int MakeNode(ReadOnlySpan<byte> name, uint mode, out Vnode? node) { node = null; return NotHere(); }

    /// <summary>
    /// link: makes <paramref name="name"/> a new name of <paramref name="target"/>, which is not a
    /// directory; -EXDEV if it belongs to another file system, -EEXIST if the name is taken.
    /// </summary>
    public virtual int Link(ReadOnlySpan<byte> name, Vnode target) => IsDirectory ? -Errno.EPERM : -Errno.ENOTDIR;

    /// <summary>unlink: removes the name of a non-directory (-EISDIR for a directory); the object lives on while other names or opens hold it.</summary>
    public virtual int Unlink(ReadOnlySpan<byte> name) => NotHere();

    /// <summary>rmdir: removes an empty directory (-ENOTEMPTY otherwise, -ENOTDIR for a non-directory).</summary>
    public virtual int RemoveDirectory(ReadOnlySpan<byte> name) => NotHere();

    /// <summary>
    /// rename: moves <paramref name="name"/> to <paramref name="newName"/> in <paramref name="newDirectory"/>
    /// (of the same file system, else -EXDEV), replacing an existing target unless <paramref name="noReplace"/>
    /// (-EEXIST then). A directory replaces only an empty directory (-ENOTEMPTY, -ENOTDIR); a
    /// non-directory does not replace a directory (-EISDIR). Renaming a name to another name of the same
    /// object does nothing. The caller has refused moving a directory into its own subtree (-EINVAL).
    /// </summary>
    public virtual int Rename(ReadOnlySpan<byte> name, Vnode newDirectory, ReadOnlySpan<byte> newName, bool noReplace) =>
        IsDirectory ? -Errno.EXDEV : -Errno.ENOTDIR;

    /// <summary>readlink: copies a symbolic link's text into <paramref name="target"/> (truncated); returns its full length.</summary>
    public virtual int ReadLink(Span<byte> target) => -Errno.EINVAL;

    /// <summary>read: copies bytes of a regular file from <paramref name="offset"/>; 0 at or past the end, a hole reads as zeros.</summary>
    public virtual long Read(Span<byte> buffer, long offset) => IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;

    /// <summary>write: stores bytes at <paramref name="offset"/>, growing the file (a gap becomes a hole of zeros); -EFBIG past the largest size.</summary>
    public virtual long Write(ReadOnlySpan<byte> buffer, long offset) => IsDirectory ? -Errno.EISDIR : -Errno.EINVAL;

    /// <summary>
    /// readdir: gives <paramref name="sink"/> the entries of this directory from <paramref name="cookie"/>
    /// (0: the first; otherwise a cookie an earlier call handed out) until it refuses one or the directory
    /// ends. Cookies stay valid while entries are added and removed: a listing resumed from one neither
    /// repeats nor skips an entry that existed throughout. Returns 0, or a negated errno.
    /// </summary>
    public virtual int ReadDirectory(long cookie, IDirectorySink sink) => -Errno.ENOTDIR;

    /// <summary>fsync: writes this object's data and attributes out (0 if nothing is buffered).</summary>
    public virtual int Sync() => 0;

    /// <summary>
    /// open: a handle for one open of a regular file or directory with the access mode and flags of
    /// <paramref name="flags"/>; <see cref="OpenFlags.Truncate"/> (given only with write access) empties
    /// the file first. <see cref="OpenFlags.Create"/> and <see cref="OpenFlags.Exclusive"/> are done by
    /// the caller, with <see cref="Create"/>. The default truncates with <see cref="Truncate"/> and gives a
    /// handle that forwards to this node. Device nodes are opened by the personality's drivers (by
    /// <see cref="FileStatus.SpecialDevice"/>), not here.
    /// </summary>
    public virtual int Open(OpenFlags flags, out OpenFile? file)
    {
        file = null;
        if (Type != FileType.Regular && Type != FileType.Directory) return -Errno.ENXIO;
        if ((flags & OpenFlags.Truncate) != 0)
        {
            int r = Truncate(0);
            if (r < 0) return r;
        }
        file = new OpenFile(this);
        return 0;
    }

    // The answer of a directory operation this object does not offer.
    private int NotHere() => IsDirectory ? -Errno.EROFS : -Errno.ENOTDIR;
}
