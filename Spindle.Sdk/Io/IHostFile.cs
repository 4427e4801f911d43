namespace Spindle.Sdk.Io;

/// <summary>
/// An open host file or directory. Results are byte counts or offsets (>= 0) or a negated
/// <see cref="Errno"/> value. Calls after <see cref="Close"/> return -EBADF.
/// </summary>
public interface IHostFile
{
    /// <summary>True if this is a directory (readable only with <see cref="ReadDirectory"/>).</summary>
    bool IsDirectory { get; }

    /// <summary>Reads at the current offset.</summary>
    long Read(Span<byte> buffer);

    /// <summary>Writes at the current offset (at the end if opened to append).</summary>
    long Write(ReadOnlySpan<byte> buffer);

    /// <summary>Reads at <paramref name="offset"/> without moving the current offset.</summary>
    long ReadAt(Span<byte> buffer, long offset);

    /// <summary>Writes at <paramref name="offset"/> without moving the current offset.</summary>
    long WriteAt(ReadOnlySpan<byte> buffer, long offset);

    /// <summary>Moves the current offset; returns the new one.</summary>
    long Seek(long offset, SeekWhence whence);

    /// <summary>Reports the file's status.</summary>
    int Stat(out FileStatus status);

    /// <summary>
    /// Fills <paramref name="buffer"/> with the next directory entries as Linux struct
    /// linux_dirent64 records (the same on every Linux architecture); returns bytes filled,
    /// 0 at the end, -EINVAL if not even one entry fits.
    /// </summary>
    int ReadDirectory(Span<byte> buffer);

    /// <summary>ftruncate: sets a regular file's length.</summary>
    int Truncate(long length);

    /// <summary>fsync, or fdatasync if <paramref name="dataOnly"/>.</summary>
    int Sync(bool dataOnly);

    /// <summary>fallocate(<paramref name="mode"/>, <paramref name="offset"/>, <paramref name="length"/>) as Linux's (FALLOC_FL_* flags).</summary>
    int Allocate(int mode, long offset, long length);

    /// <summary>Releases the host file. Idempotent.</summary>
    void Close();
}
