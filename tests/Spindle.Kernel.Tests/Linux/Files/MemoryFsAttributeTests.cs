using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>
/// The attribute, statfs, sync, allocate, mknod and lock calls on the memory root (the root of `spindle boot`),
/// as a process of uid 1000 makes them: it owns what it creates, its umask applies, it may not give files away.
/// (The same calls on the host file system are compared with Linux by the system suite's differential programs.)
/// </summary>
public sealed class MemoryFsAttributeTests
{
    private readonly MemoryRootFixture _m = new();
    private static ulong U(long v) => (ulong)v;
    private static readonly ulong Cwd = MemoryRootFixture.Cwd;

    [Fact]
    public void TheCreatorOwnsNewObjectsAndTheUmaskApplies()
    {
        Assert.Equal(0x12, _m.Call(Sys.umask, 0x3f));                       // 022 at the start, 077 now
        long fd = _m.Open("/f", LinuxAbi.O_CREAT | 2, 0x1ff);
        Assert.Equal(0x81c0, _m.Stat("/f").Mode);                           // 0777 & ~077
        Assert.Equal(0, _m.Call(Sys.mkdirat, Cwd, _m.Str("/d"), 0x1ff));
        Assert.Equal(0x41c0, _m.Stat("/d").Mode);
        Assert.Equal(0, _m.Call(Sys.fstat, U(fd), _m.Page(5)));
        Assert.Equal(1000u, BitConverter.ToUInt32(_m.S.Get(_m.Page(5) + 24, 4)));   // st_uid
        Assert.Equal(1000u, BitConverter.ToUInt32(_m.S.Get(_m.Page(5) + 28, 4)));   // st_gid
    }

    [Fact]
    public void ModesChangeForTheOwnerAndOwnersOnlyForRoot()
    {
        long fd = _m.Open("/f", LinuxAbi.O_CREAT | 2, 0x1a4);
        Assert.Equal(0, _m.Call(Sys.fchmodat, Cwd, _m.Str("/f"), 0x9ed));  // 04755
        Assert.Equal(0x89ed, _m.Stat("/f").Mode);
        Assert.Equal(0, _m.Call(Sys.fchmod, U(fd), 0x180));
        Assert.Equal(0x8180, _m.Stat("/f").Mode);
        Assert.Equal(-Errno.EPERM, _m.Call(Sys.fchownat, Cwd, _m.Str("/f"), 0, 0, 0));
        Assert.Equal(0, _m.Call(Sys.fchownat, Cwd, _m.Str("/f"), uint.MaxValue, 1000, 0));  // its own group: allowed
        _m.Process.Groups = [42];
        Assert.Equal(0, _m.Call(Sys.fchownat, Cwd, _m.Str("/f"), uint.MaxValue, 42, 0));    // a supplementary group too
        Assert.Equal(-Errno.EPERM, _m.Call(Sys.fchownat, Cwd, _m.Str("/f"), uint.MaxValue, 43, 0));
        Assert.Equal(-Errno.EPERM, _m.Call(Sys.setgroups, 1, _m.Page(6)));                   // only root sets groups
        Assert.Equal(-Errno.EPERM, _m.Call(Sys.fchmodat, Cwd, _m.Str("/dev"), 0x1ff));     // root's
        Assert.Equal(-Errno.EBADF, _m.Call(Sys.fchmod, 99, 0x1ff));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.fchownat, Cwd, _m.Str("/f"), 0, 0, 0x4));
    }

    [Fact]
    public void TimesAreSetOmittedOrNow()
    {
        _m.Call(Sys.close, U(_m.Open("/f", LinuxAbi.O_CREAT | 2)));
        ulong times = _m.Page(6);
        _m.S.CopyOut(times, [.. BitConverter.GetBytes(5L), .. BitConverter.GetBytes(6L), .. BitConverter.GetBytes(7L), .. BitConverter.GetBytes((1L << 30) - 2)]);
        Assert.Equal(0, _m.Call(Sys.utimensat, Cwd, _m.Str("/f"), times, 0));
        Assert.Equal(0, _m.Call(Sys.newfstatat, Cwd, _m.Str("/f"), _m.Page(5), 0));
        Assert.Equal(5L, BitConverter.ToInt64(_m.S.Get(_m.Page(5) + 72, 8)));   // atime set
        Assert.Equal(6L, BitConverter.ToInt64(_m.S.Get(_m.Page(5) + 80, 8)));
        Assert.NotEqual(7L, BitConverter.ToInt64(_m.S.Get(_m.Page(5) + 88, 8)));  // mtime omitted
        _m.S.CopyOut(times + 8, BitConverter.GetBytes(1_000_000_000L));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.utimensat, Cwd, _m.Str("/f"), times, 0));
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.utimensat, Cwd, 0, 0, 0));
    }

    [Fact]
    public void StatfsSyncAllocateAndMknod()
    {
        long fd = _m.Open("/f", LinuxAbi.O_CREAT | 2);
        Assert.Equal(0, _m.Call(Sys.statfs, _m.Str("/f"), _m.Page(5)));
        Assert.Equal(0x01021994L, BitConverter.ToInt64(_m.S.Get(_m.Page(5), 8)));  // tmpfs
        Assert.Equal(0, _m.Call(Sys.fstatfs, U(fd), _m.Page(5)));
        Assert.Equal(0, _m.Call(Sys.fsync, U(fd)));
        Assert.Equal(0, _m.Call(Sys.fdatasync, U(fd)));
        Assert.Equal(0, _m.Call(Sys.sync));
        Assert.Equal(0, _m.Call(Sys.fallocate, U(fd), 0, 0, 100));
        Assert.Equal(100, _m.Stat("/f").Size);
        Assert.Equal(0, _m.Call(Sys.fallocate, U(fd), 0, 10, 10));
        Assert.Equal(100, _m.Stat("/f").Size);
        Assert.Equal(-Errno.EOPNOTSUPP, _m.Call(Sys.fallocate, U(fd), 1, 0, 200));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.fallocate, U(fd), 0, 0, 0));
        Assert.Equal(0, _m.Call(Sys.mknodat, Cwd, _m.Str("/fifo"), 0x11b6, 0));
        Assert.Equal(0x11a4, _m.Stat("/fifo").Mode);                       // S_IFIFO | 0666 & ~022
        Assert.Equal(-Errno.ENXIO, _m.Open("/fifo", LinuxAbi.O_NONBLOCK));  // no named-pipe driver yet
        Assert.Equal(-Errno.EEXIST, _m.Call(Sys.mknodat, Cwd, _m.Str("/fifo"), 0x11b6, 0));
        Assert.Equal(-Errno.EPERM, _m.Call(Sys.mknodat, Cwd, _m.Str("/null"), 0x21b6, 0x103));
        Assert.Equal(0, _m.Call(Sys.mknodat, Cwd, _m.Str("/plain"), 0x1a4, 0));
        Assert.Equal(0x81a4, _m.Stat("/plain").Mode);
    }

    [Fact]
    public void LocksConflictBetweenDescriptionsAndGoWithTheLastClose()
    {
        long a = _m.Open("/f", LinuxAbi.O_CREAT | 2), b = _m.Open("/f", 2);
        Assert.Equal(0, _m.Call(Sys.flock, U(a), 2));                                  // LOCK_EX
        Assert.Equal(-Errno.EAGAIN, _m.Call(Sys.flock, U(b), 1 | 4));                  // LOCK_SH | LOCK_NB
        long dup = _m.Call(Sys.dup, U(a));
        Assert.Equal(0, _m.Call(Sys.close, U(a)));                                     // the dup still holds it
        Assert.Equal(-Errno.EAGAIN, _m.Call(Sys.flock, U(b), 1 | 4));
        Assert.Equal(0, _m.Call(Sys.close, U(dup)));
        Assert.Equal(0, _m.Call(Sys.flock, U(b), 1 | 4));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.flock, U(b), 3));
        Assert.Equal(-Errno.EAGAIN, _m.Call(Sys.flock, U(_m.Open("/f", 2)), 2 | 4));
    }
}
