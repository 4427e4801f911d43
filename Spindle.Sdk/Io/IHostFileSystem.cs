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
}
