using Spindle.Extensions.Linux.Abi;
using System;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// An open file description behind one or more file descriptors (dup and fork share it). Every
/// operation returns a count or offset, or a negated errno; the defaults answer as Linux does for a
/// file that cannot do it. An operation that would block answers -EAGAIN and names the queue to wait
/// on in <see cref="WaitQueue"/>; the caller decides between EAGAIN (O_NONBLOCK) and blocking.
/// </summary>
internal abstract class FileDescription
{
    private int _references = 1;

    /// <param name="statusFlags">open(2) access mode and status flags (O_APPEND, O_NONBLOCK, ...).</param>
    protected FileDescription(int statusFlags) => StatusFlags = statusFlags;

    /// <summary>Access mode and status flags as F_GETFL reports them.</summary>
    public int StatusFlags { get; set; }

    public bool CanRead => (StatusFlags & LinuxAbi.O_ACCMODE) != 1;
    public bool CanWrite => (StatusFlags & LinuxAbi.O_ACCMODE) != 0;
    public bool NonBlocking => (StatusFlags & LinuxAbi.O_NONBLOCK) != 0;
    public bool Appending => (StatusFlags & LinuxAbi.O_APPEND) != 0;

    // The caller has checked CanRead / CanWrite.
    public virtual long Read(Span<byte> buffer) => -Errno.EINVAL;
    public virtual long Write(ReadOnlySpan<byte> buffer) => -Errno.EINVAL;
    public virtual long ReadAt(Span<byte> buffer, long offset) => -Errno.ESPIPE;
    public virtual long WriteAt(ReadOnlySpan<byte> buffer, long offset) => -Errno.ESPIPE;
    public virtual long Seek(long offset, SeekWhence whence) => -Errno.ESPIPE;
    public abstract int Stat(out FileStatus status);
    public virtual int ReadDirectory(Span<byte> buffer) => -Errno.ENOTDIR;

    /// <summary>Sets the file's length (ftruncate); the caller has checked CanWrite.</summary>
    public virtual int Truncate(long length) => -Errno.EINVAL;

    /// <summary>fsync / fdatasync: writes the file's data out (-EINVAL for a file that cannot: a pipe, the console).</summary>
    public virtual int Sync() => -Errno.EINVAL;

    /// <summary>fallocate; the caller has checked the range and CanWrite (-ENODEV for a file with no blocks, as Linux).</summary>
    public virtual int Allocate(int mode, long offset, long length) => -Errno.ENODEV;

    /// <summary>The file system's object behind this file, if there is one (chmod, chown, statfs, locks name it).</summary>
    public virtual Sdk.Vfs.Vnode? Node => null;

    /// <summary>ioctl TCGETS / TIOCGWINSZ: fills <paramref name="result"/>; -ENOTTY unless a terminal.</summary>
    public virtual int TerminalControl(uint request, Span<byte> result) => -Errno.ENOTTY;

    /// <summary>
    /// Readiness as poll(2) revents among POLLIN, POLLOUT, POLLHUP, POLLERR. Files that never block
    /// are always ready for both.
    /// </summary>
    public virtual short Poll() => FileAbi.POLLIN | FileAbi.POLLOUT;

    /// <summary>The queue woken when this file's readiness changes; null for files that never block.</summary>
    public virtual IWaitQueue? WaitQueue => null;

    /// <summary>True if mmap may map the file (its bytes are read with <see cref="ReadAt"/>).</summary>
    public virtual bool Mappable => false;

    /// <summary>Where a directory was opened (for *at calls and fchdir); null for other files.</summary>
    public virtual Location? Directory => null;

    /// <summary>Where the file was opened (set by <see cref="Vfs.OpenNode"/>); null for pipes, the console and anonymous files.</summary>
    internal Location? OpenedAt;

    /// <summary>What /proc/PID/fd/N reads: the path the file was opened at, else Linux's name of an anonymous file.</summary>
    public virtual byte[] LinkText() => OpenedAt?.Path() ?? "anon_inode:[unknown]"u8.ToArray();

    /// <summary>Takes one more reference (dup, fork).</summary>
    public void Retain() => _references++;

    /// <summary>The lock table holding a flock or OFD lock of this description (released with its last reference).</summary>
    internal FileLocks? LockedIn;

    /// <summary>Drops one reference; the last one releases its locks and closes the file.</summary>
    public void Release()
    {
        if (--_references != 0) return;
        LockedIn?.ReleaseDescription(this);
        Close();
    }

    /// <summary>Releases what the file holds; called once, when the last reference goes.</summary>
    protected virtual void Close() { }
}
