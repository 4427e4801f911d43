using System.Runtime.InteropServices;

namespace Spindle.Kernel.Services;

/// <summary>
/// The host C library calls the kernel's host services are built on. Every wrapper returns the
/// call's result, or the negated errno when it failed (the Linux convention the Sdk uses).
/// Linux hosts only (x86-64 or arm64).
/// </summary>
internal static unsafe partial class Libc
{
    public const int AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;
    private const long SYS_openat2 = 437, SYS_faccessat2 = 439; // the same number on every architecture
    // fchmodat is raw: glibc's follows AT_SYMLINK_NOFOLLOW through /proc; the kernel's takes no flags.
    private static readonly long SYS_fchmodat = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 53 : 268;
    public const uint TCGETS = 0x5401, TIOCGWINSZ = 0x5413;

    // open(2) flags differ between x86-64 and arm64 for these four.
    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_TRUNC = 0x200,
        O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DSYNC = 0x1000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    public static int O_DIRECTORY => Arm ? 0x4000 : 0x10000;
    public static int O_NOFOLLOW => Arm ? 0x8000 : 0x20000;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow { public ulong Flags, Mode, Resolve; }

    /// <summary>openat2(dirfd, path, {flags, mode, resolve}); path is NUL-terminated.</summary>
    public static int OpenAt2(int dirfd, byte* path, int flags, uint mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = mode, Resolve = resolve };
        return (int)Check(syscall4(SYS_openat2, dirfd, (nint)path, (nint)(&how), sizeof(OpenHow)));
    }

    public static int FaccessAt2(int dirfd, byte* path, int mode, int flags) =>
        (int)Check(syscall4(SYS_faccessat2, dirfd, (nint)path, mode, flags));

    // Transfers repeat a call interrupted by a host signal (EINTR = 4).
    public static long Read(int fd, byte* buf, nuint count) { long r; do r = Check(read(fd, buf, count)); while (r == -4); return r; }
    public static long Write(int fd, byte* buf, nuint count) { long r; do r = Check(write(fd, buf, count)); while (r == -4); return r; }
    public static long PRead(int fd, byte* buf, nuint count, long offset) { long r; do r = Check(pread(fd, buf, count, offset)); while (r == -4); return r; }
    public static long PWrite(int fd, byte* buf, nuint count, long offset) { long r; do r = Check(pwrite(fd, buf, count, offset)); while (r == -4); return r; }
    public static long Seek(int fd, long offset, int whence) => Check(lseek(fd, offset, whence));
    public static int Close(int fd) => (int)Check(close(fd));
    public static int Statx(int dirfd, byte* path, int flags, byte* buf) => (int)Check(statx(dirfd, path, flags, STATX_BASIC_STATS, buf));
    public static long ReadLinkAt(int dirfd, byte* path, byte* buf, nuint size) => Check(readlinkat(dirfd, path, buf, size));
    public static int UnlinkAt(int dirfd, byte* path, int flags) => (int)Check(unlinkat(dirfd, path, flags));
    public static int MkdirAt(int dirfd, byte* path, uint mode) => (int)Check(mkdirat(dirfd, path, mode));
    public static long GetDents64(int fd, byte* buf, nuint size) => Check(getdents64(fd, buf, size));
    public static int RenameAt2(int olddir, byte* oldpath, int newdir, byte* newpath, uint flags) => (int)Check(renameat2(olddir, oldpath, newdir, newpath, flags));
    public static int LinkAt(int olddir, byte* oldpath, int newdir, byte* newpath, int flags) => (int)Check(linkat(olddir, oldpath, newdir, newpath, flags));
    public static int SymlinkAt(byte* target, int dir, byte* path) => (int)Check(symlinkat(target, dir, path));
    public static int MknodAt(int dir, byte* path, uint mode, ulong device) => (int)Check(mknodat(dir, path, mode, device));
    public static int FchmodAt(int dir, byte* path, uint mode) => (int)Check(syscall4(SYS_fchmodat, dir, (nint)path, (nint)mode, 0));
    public static int FchownAt(int dir, byte* path, uint uid, uint gid, int flags) => (int)Check(fchownat(dir, path, uid, gid, flags));
    public static int UtimensAt(int dir, byte* path, long* times, int flags) => (int)Check(utimensat(dir, path, times, flags));
    public static int Ftruncate(int fd, long length) => (int)Check(ftruncate(fd, length));
    public static int Fsync(int fd, bool dataOnly) => (int)Check(dataOnly ? fdatasync(fd) : fsync(fd));
    public static int Fallocate(int fd, int mode, long offset, long length) => (int)Check(fallocate(fd, mode, offset, length));
    public static int Fstatfs(int fd, byte* buf) => (int)Check(fstatfs(fd, buf));
    public static int Ioctl(int fd, uint request, byte* arg) => (int)Check(ioctl(fd, request, arg));
    public static bool IsATty(int fd) => isatty(fd) == 1;

    // A failed call's result as -errno.
    private static long Check(long result) => result < 0 ? -Marshal.GetLastPInvokeError() : result;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)] private static partial long syscall4(long number, nint a, nint b, nint c, nint d);
    [LibraryImport("libc", SetLastError = true)] private static partial nint read(int fd, byte* buf, nuint count);
    [LibraryImport("libc", SetLastError = true)] private static partial nint write(int fd, byte* buf, nuint count);
    [LibraryImport("libc", SetLastError = true)] private static partial nint pread(int fd, byte* buf, nuint count, long offset);
    [LibraryImport("libc", SetLastError = true)] private static partial nint pwrite(int fd, byte* buf, nuint count, long offset);
    [LibraryImport("libc", SetLastError = true)] private static partial long lseek(int fd, long offset, int whence);
    [LibraryImport("libc", SetLastError = true)] private static partial int close(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buf);
    [LibraryImport("libc", SetLastError = true)] private static partial nint readlinkat(int dirfd, byte* path, byte* buf, nuint size);
    [LibraryImport("libc", SetLastError = true)] private static partial int unlinkat(int dirfd, byte* path, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int mkdirat(int dirfd, byte* path, uint mode);
    [LibraryImport("libc", SetLastError = true)] private static partial nint getdents64(int fd, byte* buf, nuint size);
    [LibraryImport("libc", SetLastError = true)] private static partial int renameat2(int olddir, byte* oldpath, int newdir, byte* newpath, uint flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int linkat(int olddir, byte* oldpath, int newdir, byte* newpath, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int symlinkat(byte* target, int dir, byte* path);
    [LibraryImport("libc", SetLastError = true)] private static partial int mknodat(int dir, byte* path, uint mode, ulong device);
    [LibraryImport("libc", SetLastError = true)] private static partial int fchownat(int dir, byte* path, uint uid, uint gid, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int utimensat(int dir, byte* path, long* times, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int ftruncate(int fd, long length);
    [LibraryImport("libc", SetLastError = true)] private static partial int fsync(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int fdatasync(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int fallocate(int fd, int mode, long offset, long length);
    [LibraryImport("libc", SetLastError = true)] private static partial int fstatfs(int fd, byte* buf);
    [LibraryImport("libc", SetLastError = true)] private static partial int ioctl(int fd, nuint request, byte* arg);
    [LibraryImport("libc")] private static partial int isatty(int fd);
    [LibraryImport("libc")] public static partial int getppid();
    [LibraryImport("libc")] public static partial uint getuid();
    [LibraryImport("libc")] public static partial uint getgid();
}
