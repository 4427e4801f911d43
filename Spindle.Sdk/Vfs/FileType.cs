namespace Spindle.Sdk.Vfs;

/// <summary>The file-type bits of st_mode (S_IF*, Linux values) and permission masks.</summary>
public static class FileType
{
    /// <summary>S_IFMT: the mask of the type bits.</summary>
    public const uint Mask = 0xf000;

    /// <summary>S_IFIFO, S_IFCHR, S_IFDIR, S_IFBLK, S_IFREG, S_IFLNK, S_IFSOCK.</summary>
    public const uint Fifo = 0x1000, CharacterDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, Symlink = 0xa000, Socket = 0xc000;

    /// <summary>The permission bits of a mode (rwx for owner, group, others, plus setuid, setgid, sticky).</summary>
    public const uint PermissionMask = 0xfff;
}
