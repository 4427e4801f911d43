namespace Spindle.Sdk.Io;

/// <summary>What stat reports about a file (fields as POSIX struct stat; times in seconds + nanoseconds).</summary>
public struct FileStatus
{
    public ulong Device, Inode, LinkCount, SpecialDevice;
    public uint Mode, Uid, Gid;
    public long Size, BlockSize, Blocks;
    public long AccessSeconds, ModifySeconds, ChangeSeconds;
    public uint AccessNanoseconds, ModifyNanoseconds, ChangeNanoseconds;

    /// <summary>File-type bits of <see cref="Mode"/> (S_IFMT) and the directory type.</summary>
    public const uint TypeMask = 0xf000, Directory = 0x4000;
}
