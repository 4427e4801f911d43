namespace Spindle.Extensions.Linux.Abi;

/// <summary>
/// RISC-V Linux system-call numbers (asm-generic unistd.h): the one place a number is written. What the
/// personality does with each is the table in Syscalls/SyscallTable.cs, which names every entry after
/// its constant here (nameof), so a name and its number cannot part.
/// </summary>
public static class Sys
{
    public const int getcwd = 17, dup = 23, dup3 = 24, fcntl = 25, ioctl = 29, flock = 32, mknodat = 33, mkdirat = 34, unlinkat = 35,
        symlinkat = 36, linkat = 37, statfs = 43, fstatfs = 44, truncate = 45, ftruncate = 46, fallocate = 47, faccessat = 48, chdir = 49,
        fchdir = 50, fchmod = 52, fchmodat = 53, fchownat = 54, fchown = 55, openat = 56, close = 57, pipe2 = 59, getdents64 = 61, lseek = 62,
        read = 63, write = 64, readv = 65, writev = 66, pread64 = 67, pwrite64 = 68, pselect6 = 72, ppoll = 73,
        readlinkat = 78, newfstatat = 79, fstat = 80, sync = 81, fsync = 82, fdatasync = 83, utimensat = 88, exit = 93, exit_group = 94,
        waitid = 95, set_tid_address = 96, futex = 98, set_robust_list = 99, nanosleep = 101, clock_gettime = 113,
        clock_getres = 114, clock_nanosleep = 115, sched_getaffinity = 123, sched_yield = 124, kill = 129,
        tkill = 130, tgkill = 131, sigaltstack = 132, rt_sigsuspend = 133, rt_sigaction = 134, rt_sigprocmask = 135,
        rt_sigpending = 136, rt_sigreturn = 139, setpriority = 140, getpriority = 141, setpgid = 154, getpgid = 155, getsid = 156, setsid = 157,
        getgroups = 158, setgroups = 159, uname = 160, getrlimit = 163, getrusage = 165, umask = 166, prctl = 167, gettimeofday = 169, getpid = 172, getppid = 173, getuid = 174,
        geteuid = 175, getgid = 176, getegid = 177, gettid = 178, sysinfo = 179, socket = 198, brk = 214,
        munmap = 215, mremap = 216, clone = 220, execve = 221, mmap = 222, mprotect = 226, madvise = 233,
        riscv_flush_icache = 259, wait4 = 260, prlimit64 = 261, syncfs = 267, renameat2 = 276, getrandom = 278,
        statx = 291, rseq = 293, clone3 = 435, faccessat2 = 439;

    // epoll and the socket family.
    public const int epoll_create1 = 20, epoll_ctl = 21, epoll_pwait = 22, socketpair = 199, bind = 200, listen = 201,
        accept = 202, connect = 203, getsockname = 204, getpeername = 205, sendto = 206, recvfrom = 207, setsockopt = 208,
        getsockopt = 209, shutdown = 210, sendmsg = 211, recvmsg = 212, accept4 = 242, epoll_pwait2 = 441;
}

/// <summary>Flag and constant values of the RISC-V Linux ABI used by the personality.</summary>
public static partial class LinuxAbi
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;

    // open(2) flags, asm-generic octal values.
    public const int O_ACCMODE = 3, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_TRUNC = 0x200, O_APPEND = 0x400,
        O_NONBLOCK = 0x800, O_DSYNC = 0x1000, O_ASYNC = 0x2000, O_DIRECT = 0x4000, O_LARGEFILE = 0x8000,
        O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_NOATIME = 0x40000, O_CLOEXEC = 0x80000, O_SYNC = 0x101000,
        O_PATH = 0x200000, O_TMPFILE = 0x400000;
    public const int OpenFlagsKnown = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC
        | O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE;

    public const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
    public const int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_TYPE = 0xf, MAP_FIXED = 0x10,
        MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_DENYWRITE = 0x800, MAP_EXECUTABLE = 0x1000, MAP_LOCKED = 0x2000,
        MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_NONBLOCK = 0x10000, MAP_STACK = 0x20000,
        MAP_HUGETLB = 0x40000, MAP_SYNC = 0x80000, MAP_FIXED_NOREPLACE = 0x100000;
    public const int MapFlagsKnown = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE
        | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE;

    public const int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

    public const uint TCGETS = 0x5401, TIOCGWINSZ = 0x5413;
    public const int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    public const int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2, SIGKILL = 9, SIGSTOP = 19, NSIG = 64;
    public const int RLIM_NLIMITS = 16, RLIMIT_STACK = 3, RLIMIT_NOFILE = 7;
    public const ulong RLIM_INFINITY = ulong.MaxValue;

    /// <summary>Largest count a single read or write moves (MAX_RW_COUNT).</summary>
    public const long MaxIoCount = 0x7ffff000;
    public const int PathMax = 4096, IovMax = 1024;

    /// <summary>True if a raw result register value is an error (-4095..-1).</summary>
    public static bool IsError(long result) => (ulong)result >= unchecked((ulong)-4095L);
}
