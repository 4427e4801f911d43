namespace Spindle.Extensions.Linux.Files;

/// <summary>Constants of the file layer's ABI (asm-generic values).</summary>
internal static class FileAbi
{
    public const int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, FD_CLOEXEC = 1;
    public const short POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20,
        POLLRDNORM = 0x40, POLLWRNORM = 0x100;
    public const int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

    /// <summary>File-type bits of st_mode (the Sdk's <see cref="Sdk.Vfs.FileType"/> under their C names).</summary>
    public const uint S_IFMT = Sdk.Vfs.FileType.Mask, S_IFIFO = Sdk.Vfs.FileType.Fifo, S_IFCHR = Sdk.Vfs.FileType.CharacterDevice,
        S_IFDIR = Sdk.Vfs.FileType.Directory, S_IFREG = Sdk.Vfs.FileType.Regular, S_IFLNK = Sdk.Vfs.FileType.Symlink;

    /// <summary>linux_dirent64 d_type values.</summary>
    public const byte DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_REG = 8, DT_LNK = 10;

    /// <summary>Longest name of one path component.</summary>
    public const int NameMax = 255;

    /// <summary>Symbolic links one resolution may follow before ELOOP (Linux MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;

    /// <summary>Status flags F_SETFL may change.</summary>
    public const int SettableStatusFlags = Abi.LinuxAbi.O_APPEND | Abi.LinuxAbi.O_NONBLOCK;

    /// <summary>open(2) flags as the Sdk's <see cref="Sdk.Io.OpenFlags"/> (what a file system's open sees).</summary>
    public static Sdk.Io.OpenFlags SdkOpenFlags(int flags)
    {
        var open = (Sdk.Io.OpenFlags)(flags & Abi.LinuxAbi.O_ACCMODE);
        if ((flags & Abi.LinuxAbi.O_TRUNC) != 0 && (flags & Abi.LinuxAbi.O_ACCMODE) != 0) open |= Sdk.Io.OpenFlags.Truncate;
        if ((flags & Abi.LinuxAbi.O_APPEND) != 0) open |= Sdk.Io.OpenFlags.Append;
        if ((flags & Abi.LinuxAbi.O_DIRECTORY) != 0) open |= Sdk.Io.OpenFlags.Directory;
        if ((flags & Abi.LinuxAbi.O_NONBLOCK) != 0) open |= Sdk.Io.OpenFlags.NonBlocking;
        if ((flags & Abi.LinuxAbi.O_DSYNC) != 0) open |= Sdk.Io.OpenFlags.Sync;
        return open;
    }

    /// <summary>The dirent type of an st_mode.</summary>
    public static byte DirentType(uint mode) => (mode & S_IFMT) switch
    {
        S_IFDIR => DT_DIR, S_IFREG => DT_REG, S_IFLNK => DT_LNK, S_IFCHR => DT_CHR, S_IFIFO => DT_FIFO, _ => 0,
    };
}
