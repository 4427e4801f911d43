namespace Spindle.Sdk.Io;

/// <summary>
/// The host file system under a root directory. Paths are absolute within that root, as UTF-8
/// bytes: ".." never climbs above the root, and absolute symbolic-link targets are resolved
/// inside it. Results are 0 (or a count) on success, a negated <see cref="Errno"/> value on failure.
/// </summary>
public interface IHostFileSystem
{
    /// <summary>Opens <paramref name="path"/>; <paramref name="mode"/> is the permission of a created file.</summary>
    int Open(ReadOnlySpan<byte> path, OpenFlags flags, uint mode, out IHostFile? file);

    /// <summary>Stats <paramref name="path"/>, following a final symbolic link only if <paramref name="followLinks"/>.</summary>
    int Stat(ReadOnlySpan<byte> path, bool followLinks, out FileStatus status);

    /// <summary>Reads the target of the symbolic link <paramref name="path"/> into <paramref name="target"/> (truncated); returns its length.</summary>
    int ReadLink(ReadOnlySpan<byte> path, Span<byte> target);

    /// <summary>Removes a file, or an empty directory if <paramref name="directory"/>.</summary>
    int Unlink(ReadOnlySpan<byte> path, bool directory);

    /// <summary>Creates a directory.</summary>
    int MakeDirectory(ReadOnlySpan<byte> path, uint mode);

    /// <summary>Checks access: <paramref name="mode"/> is R_OK 4 | W_OK 2 | X_OK 1, or 0 for existence.</summary>
    int Access(ReadOnlySpan<byte> path, int mode, bool followLinks);

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing an existing <paramref name="to"/> unless <paramref name="noReplace"/> (-EEXIST then).</summary>
    int Rename(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool noReplace);

    /// <summary>Makes <paramref name="path"/> a new name of the non-directory <paramref name="existing"/> (a final link of it is not followed).</summary>
    int Link(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> path);

    /// <summary>Makes <paramref name="path"/> a symbolic link whose text is <paramref name="target"/> (stored, not interpreted).</summary>
    int MakeSymlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> path);

    /// <summary>mknod of a FIFO or an empty regular file (<paramref name="mode"/> holds S_IFIFO or S_IFREG and the permission bits); devices are refused (-EPERM).</summary>
    int MakeNode(ReadOnlySpan<byte> path, uint mode);

    /// <summary>
    /// setattr of <paramref name="path"/> (a final symbolic link is not followed): the mode, owner, length
    /// and times that <paramref name="changes"/> names (a mode on a link: -EOPNOTSUPP).
    /// </summary>
    int SetAttributes(ReadOnlySpan<byte> path, in Vfs.AttributeChanges changes);

    /// <summary>statfs of the file system holding the root.</summary>
    int GetStatistics(out Vfs.FileSystemStatistics statistics);
}
