namespace Spindle.Sdk.Vfs;

/// <summary>
/// A mounted file system (SPIN's and Unix's "vfs"): one instance per mount, with its root
/// directory, its device number and its statistics. The personality that mounts it keeps the
/// mount table and walks paths over <see cref="Root"/>; the file system sees only names.
/// Calls come from the CPU's thread, one at a time (implementations need no locks for the
/// personality's sake). Results are 0 or a negated <see cref="Io.Errno"/>.
/// </summary>
public interface IFileSystem
{
    /// <summary>The root directory; the same object on every call.</summary>
    Vnode Root { get; }

    /// <summary>The device number st_dev reports for this file system's objects.</summary>
    ulong Device { get; }

    /// <summary>statfs: fills <paramref name="statistics"/>.</summary>
    int GetStatistics(out FileSystemStatistics statistics);

    /// <summary>sync / syncfs: writes out everything this file system buffers (0 if it buffers nothing).</summary>
    int Sync();
}

/// <summary>What statfs reports about a file system (fields as Linux struct statfs).</summary>
public struct FileSystemStatistics
{
    /// <summary>f_type: the file system's magic number (Linux values: 0x01021994 tmpfs, 0xEF53 ext2...).</summary>
    public long Type;

    /// <summary>f_bsize: the preferred block size; the counts below are in these blocks.</summary>
    public long BlockSize;

    /// <summary>f_blocks, f_bfree, f_bavail: total blocks, free blocks, blocks free to an unprivileged user.</summary>
    public ulong Blocks, FreeBlocks, AvailableBlocks;

    /// <summary>f_files, f_ffree: total inodes and free inodes.</summary>
    public ulong Files, FreeFiles;

    /// <summary>f_namelen: the longest name one directory entry holds.</summary>
    public long NameMax;
}
