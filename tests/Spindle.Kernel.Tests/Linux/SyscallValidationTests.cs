using System.Buffers.Binary;
using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>Argument validation of the Linux personality: every bad input is a negated errno, never an exception.</summary>
public class SyscallValidationTests
{
    private static ulong U(long v) => (ulong)v;

    [Fact]
    public void UnknownNumberIsEnosys()
    {
        var f = new LinuxFixture();
        Assert.Equal(-Errno.ENOSYS, f.Call(999));
        Assert.Equal(-Errno.ENOSYS, f.Call(int.MaxValue));
        f.Strand.Number = ulong.MaxValue;
        f.Personality.Syscall(f.Strand);
        Assert.Equal(-Errno.ENOSYS, f.Strand.Result);
    }

    [Fact]
    public void StrandWithoutProcessIsEnosys()
    {
        var f = new LinuxFixture();
        f.Strand.ClearSlots();
        Assert.Equal(-Errno.ENOSYS, f.Call(Sys.getpid));
    }

    [Fact]
    public void IdentityCallsAnswerTheProcess()
    {
        var f = new LinuxFixture();
        Assert.Equal(1234, f.Call(Sys.getpid));
        Assert.Equal(1, f.Call(Sys.getppid));
        Assert.Equal(42, f.Call(Sys.gettid));
        Assert.Equal(1000, f.Call(Sys.getuid));
        Assert.Equal(1000, f.Call(Sys.getegid));
    }

    [Fact]
    public void WriteGoesToTheConsole()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.PutString(f.Strand.Scratch(), "hello\n");
        Assert.Equal(6, f.Call(Sys.write, 1, buf, 6));
        Assert.Equal(3, f.Call(Sys.write, 2, buf, 3));
        Assert.Equal("hello\n", f.Console.OutText);
        Assert.Equal("hel", f.Console.ErrText);
    }

    [Fact]
    public void BadDescriptorsAreEbadf()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch();
        Assert.Equal(-Errno.EBADF, f.Call(Sys.write, 7, buf, 1));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.read, U(-1), buf, 1));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.close, 1 << 20));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.fstat, 99, buf));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.write, 0, buf, 1)); // stdin is not writable
        Assert.Equal(0, f.Call(Sys.close, 1));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.write, 1, buf, 1));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.openat, U(5), f.Strand.PutString(buf, "rel"), 0));
    }

    [Fact]
    public void BadPointersAreEfault()
    {
        var f = new LinuxFixture();
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.write, 1, 0xdead_0000, 10));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.openat, U(LinuxAbi.AT_FDCWD), 0xdead_0000, 0));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.uname, 0));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.fstat, 1, 0xdead_0000));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.clock_gettime, 1, 0xdead_0000));
        f.Console.Input = "abc"u8.ToArray();
        f.Strand.Map(0x20_0000, 4096, Spindle.Sdk.Memory.Protection.Read);
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.read, 0, 0x20_0000, 3)); // read-only page
    }

    [Fact]
    public void WriteStopsAtTheFirstUnmappedByteAfterProgress()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch(0x30_0000);
        f.Strand.CopyOut(buf + 4090, "abcdef"u8);
        Assert.Equal(6, f.Call(Sys.write, 1, buf + 4090, 6));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.write, 1, buf + 4090, 7)); // one chunk: nothing written
    }

    [Fact]
    public void HugeLengthsAreBounded()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.PutString(f.Strand.Scratch(), "x");
        // The user buffer is one page: the bounded count still faults, without trying to allocate.
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.write, 1, buf, ulong.MaxValue));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.getrandom, buf, ulong.MaxValue, 0));
    }

    [Fact]
    public void UnknownFlagsAreEinval()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch();
        ulong path = f.Strand.PutString(buf, "/tmp");
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.openat, U(LinuxAbi.AT_FDCWD), path, 0x4000_0000));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.openat, U(LinuxAbi.AT_FDCWD), path, 3)); // O_ACCMODE
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.newfstatat, U(LinuxAbi.AT_FDCWD), path, buf + 512, 0x1));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.unlinkat, U(LinuxAbi.AT_FDCWD), path, 0x1));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.faccessat, U(LinuxAbi.AT_FDCWD), path, 8));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.getrandom, buf, 8, 0x10));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.lseek, 1, 0, 7));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.clock_gettime, 77, buf));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.readv, 1, buf, 1025));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.riscv_flush_icache, 0, 0, 2));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.set_robust_list, buf, 8));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.prlimit64, 0, 99, 0, buf));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.readlinkat, U(LinuxAbi.AT_FDCWD), path, buf, 0));
    }

    [Fact]
    public void PathsAreBoundedAndNonEmpty()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch(0x50_0000, pages: 2);
        f.Strand.PutString(buf, "/" + new string('a', 5000));
        Assert.Equal(-Errno.ENAMETOOLONG, f.Call(Sys.openat, U(LinuxAbi.AT_FDCWD), buf, 0));
        f.Strand.PutString(buf, "");
        Assert.Equal(-Errno.ENOENT, f.Call(Sys.openat, U(LinuxAbi.AT_FDCWD), buf, 0));
    }

    [Fact]
    public void TerminalIoctlsOnPipesAreEnotty()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch();
        Assert.Equal(-Errno.ENOTTY, f.Call(Sys.ioctl, 1, LinuxAbi.TCGETS, buf));
        Assert.Equal(-Errno.ENOTTY, f.Call(Sys.ioctl, 1, LinuxAbi.TIOCGWINSZ, buf));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.ioctl, 9, LinuxAbi.TCGETS, buf));
    }

    [Fact]
    public void UnameSaysLinuxOnRiscv64()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch();
        Assert.Equal(0, f.Call(Sys.uname, buf));
        byte[] u = f.Strand.Get(buf, 390);
        Assert.Equal("Linux", Encoding.ASCII.GetString(u, 0, 65).TrimEnd('\0'));
        Assert.Equal("riscv64", Encoding.ASCII.GetString(u, 4 * 65, 65).TrimEnd('\0'));
    }

    [Fact]
    public void ClocksWriteTimespecs()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch();
        Assert.Equal(0, f.Call(Sys.clock_gettime, 0, buf));
        Assert.Equal(1_700_000_000L, BinaryPrimitives.ReadInt64LittleEndian(f.Strand.Get(buf, 8)));
        Assert.Equal(123_456_789L, BinaryPrimitives.ReadInt64LittleEndian(f.Strand.Get(buf + 8, 8)));
        Assert.Equal(0, f.Call(Sys.gettimeofday, buf, 0));
        Assert.Equal(123_456L, BinaryPrimitives.ReadInt64LittleEndian(f.Strand.Get(buf + 8, 8)));
    }

    [Fact]
    public void GetcwdNeedsRoomForTheNul()
    {
        var f = new LinuxFixture(cwd: "/home/u");
        ulong buf = f.Strand.Scratch();
        Assert.Equal(-Errno.ERANGE, f.Call(Sys.getcwd, buf, 7));
        Assert.Equal(8, f.Call(Sys.getcwd, buf, 8));
        Assert.Equal("/home/u\0", Encoding.ASCII.GetString(f.Strand.Get(buf, 8)));
    }

    [Fact]
    public void SignalActionsAreRecordedAndValidated()
    {
        var f = new LinuxFixture();
        ulong buf = f.Strand.Scratch();
        BinaryPrimitives.WriteUInt64LittleEndian(f.Strand.Pages[buf].Bytes, 0x1234); // handler
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.rt_sigaction, 2, buf, 0, 4));         // sigsetsize
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.rt_sigaction, 9, buf, 0, 8));         // SIGKILL
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.rt_sigaction, 65, buf, 0, 8));
        Assert.Equal(0, f.Call(Sys.rt_sigaction, 2, buf, 0, 8));
        Assert.Equal(0, f.Call(Sys.rt_sigaction, 2, 0, buf + 100, 8));
        Assert.Equal(0x1234UL, BinaryPrimitives.ReadUInt64LittleEndian(f.Strand.Get(buf + 100, 8)));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.rt_sigprocmask, 7, buf, 0, 8));
    }

    [Fact]
    public void ExitGroupEndsTheProcessWithTheLowByte()
    {
        var f = new LinuxFixture();
        f.Call(Sys.exit_group, 0x1_0203);
        Assert.Equal(3, f.Strand.ExitStatus);
    }

    [Fact]
    public void FlushIcacheReachesTheHart()
    {
        var f = new LinuxFixture();
        Assert.Equal(0, f.Call(Sys.riscv_flush_icache, 0x1000, 0x2000, 0));
        Assert.Equal(1, f.Strand.IcacheFlushes);
    }

    [Fact]
    public void TraceLinesLookLikeStrace()
    {
        var f = new LinuxFixture(trace: true);
        ulong buf = f.Strand.Scratch();
        f.Strand.PutString(buf, "/no/such/file");
        f.Call(Sys.openat, U(LinuxAbi.AT_FDCWD), buf, 0);
        f.Strand.PutString(buf, "hi\n");
        f.Call(Sys.write, 1, buf, 3);
        f.Call(999);
        Assert.Contains("openat(AT_FDCWD, \"/no/such/file\", O_RDONLY) = -1 ENOENT (No such file or directory)\n", f.Console.ErrText);
        Assert.Contains("write(1, \"hi\\n\", 3) = 3\n", f.Console.ErrText);
        Assert.Contains("syscall_999(", f.Console.ErrText);
        Assert.Contains("= -1 ENOSYS (Function not implemented)", f.Console.ErrText);
    }
}
