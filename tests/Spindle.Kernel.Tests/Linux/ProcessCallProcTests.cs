using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>Bad input to the process, signal, thread and sleep calls answers the documented errno, never an exception.</summary>
public class ProcessCallProcTests
{
    private readonly LinuxFixture _f = new();

    private long Call(int number, params ulong[] args) => _f.Call(number, args);

    private static ulong Neg(long errno) => unchecked((ulong)-errno);

    [Fact]
    public void CloneRefusesUnknownAndInconsistentFlags()
    {
        Assert.Equal(-Errno.EINVAL, Call(Sys.clone, 0x20000 /* CLONE_NEWNS */ | 17));
        Assert.Equal(-Errno.EINVAL, Call(Sys.clone, LinuxAbi.CLONE_THREAD | LinuxAbi.CLONE_VM));
        Assert.Equal(-Errno.EINVAL, Call(Sys.clone, LinuxAbi.CLONE_SIGHAND));
        Assert.Equal(-Errno.ENOSYS, Call(Sys.clone3, 0, 0));
    }

    [Fact]
    public void WaitWithoutChildrenOrWithBadOptionsFails()
    {
        Assert.Equal(-Errno.ECHILD, Call(Sys.wait4, Neg(1), 0, 0, 0));
        Assert.Equal(-Errno.ECHILD, Call(Sys.wait4, 4242, 0, LinuxAbi.WNOHANG, 0));
        Assert.Equal(-Errno.EINVAL, Call(Sys.wait4, Neg(1), 0, 0x100, 0));
        Assert.Equal(-Errno.EINVAL, Call(Sys.waitid, LinuxAbi.P_ALL, 0, 0, LinuxAbi.WNOHANG, 0));   // no WEXITED
        Assert.Equal(-Errno.EINVAL, Call(Sys.waitid, 9, 0, 0, LinuxAbi.WEXITED, 0));
        Assert.Equal(-Errno.EINVAL, Call(Sys.waitid, LinuxAbi.P_PID, 0, 0, LinuxAbi.WEXITED, 0));
        Assert.Equal(-Errno.ECHILD, Call(Sys.waitid, LinuxAbi.P_ALL, 0, 0, LinuxAbi.WEXITED, 0));
    }

    [Fact]
    public void KillChecksSignalAndTarget()
    {
        Assert.Equal(-Errno.EINVAL, Call(Sys.kill, 1234, 65));
        Assert.Equal(-Errno.EINVAL, Call(Sys.kill, 1234, Neg(1)));
        Assert.Equal(-Errno.ESRCH, Call(Sys.kill, 999_999, 15));
        Assert.Equal(0, Call(Sys.kill, 1234, 0));                      // existence check only
        Assert.Equal(-Errno.ESRCH, Call(Sys.kill, Neg(777), 0));       // no such group
        Assert.Equal(-Errno.EINVAL, Call(Sys.tgkill, 1234, 0, 10));
        Assert.Equal(-Errno.ESRCH, Call(Sys.tgkill, 1, (ulong)_f.Strand.Id, 0)); // the thread is not in group 1
        Assert.Equal(0, Call(Sys.tgkill, 1234, (ulong)_f.Strand.Id, 0));
        Assert.Null(_f.Strand.KilledBy);
    }

    [Fact]
    public void KillingOneselfWithSigkillEndsTheProcess()
    {
        Assert.Equal(0, Call(Sys.kill, 1234, 9));
        Assert.Equal(9, _f.Strand.KilledBy);
    }

    [Fact]
    public void SignalSetupCallsValidateTheirArguments()
    {
        ulong buf = _f.Strand.Scratch();
        Assert.Equal(-Errno.EINVAL, Call(Sys.rt_sigaction, 9, buf, 0, 8));          // SIGKILL cannot be caught
        Assert.Equal(-Errno.EINVAL, Call(Sys.rt_sigaction, 65, 0, buf, 8));
        Assert.Equal(-Errno.EFAULT, Call(Sys.rt_sigaction, 10, 0x9000_0000, 0, 8));
        Assert.Equal(-Errno.EINVAL, Call(Sys.rt_sigpending, buf, 4));
        Assert.Equal(-Errno.EFAULT, Call(Sys.rt_sigpending, 0x9000_0000, 8));
        // sigaltstack: too small, bad flags, unreadable.
        _f.Strand.CopyOut(buf, [.. BitConverter.GetBytes(0x50000UL), .. BitConverter.GetBytes(0L), .. BitConverter.GetBytes(100UL)]);
        Assert.Equal(-Errno.ENOMEM, Call(Sys.sigaltstack, buf, 0));
        _f.Strand.CopyOut(buf + 8, BitConverter.GetBytes(7L));
        Assert.Equal(-Errno.EINVAL, Call(Sys.sigaltstack, buf, 0));
        Assert.Equal(-Errno.EFAULT, Call(Sys.sigaltstack, 0x9000_0000, 0));
        Assert.Equal(0, Call(Sys.sigaltstack, 0, buf));
        Assert.Equal(LinuxAbi.SS_DISABLE, BitConverter.ToInt32(_f.Strand.Get(buf + 8, 4)));
    }

    [Fact]
    public void SigreturnWithAnUnreadableFrameKillsWithSigsegv()
    {
        _f.Strand.SetRegister(2, 0x9000_0000);
        Call(Sys.rt_sigreturn);
        Assert.Equal(LinuxAbi.SIGSEGV, _f.Strand.KilledBy);
    }

    [Fact]
    public void SleepAndFutexRefuseBadTimes()
    {
        ulong ts = _f.Strand.Scratch();
        _f.Strand.CopyOut(ts, [.. BitConverter.GetBytes(0L), .. BitConverter.GetBytes(1_000_000_000L)]);
        Assert.Equal(-Errno.EINVAL, Call(Sys.nanosleep, ts, 0));
        _f.Strand.CopyOut(ts, [.. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(0L)]);
        Assert.Equal(-Errno.EINVAL, Call(Sys.nanosleep, ts, 0));
        Assert.Equal(-Errno.EFAULT, Call(Sys.nanosleep, 0x9000_0000, 0));
        Assert.Equal(-Errno.EINVAL, Call(Sys.clock_nanosleep, 99, 0, ts, 0));
        Assert.Equal(-Errno.EINVAL, Call(Sys.clock_nanosleep, 1, 2, ts, 0));
        _f.Strand.CopyOut(ts, new byte[16]);
        Assert.Equal(0, Call(Sys.nanosleep, ts, 0));                    // zero: returns at once, never blocks
        Assert.Null(_f.Strand.BlockedOn);
        Assert.Equal(-Errno.EINVAL, Call(Sys.futex, ts + 2, LinuxAbi.FUTEX_WAKE, 1));
    }

    [Fact]
    public void ProcessGroupsAndSessions()
    {
        Assert.Equal(1234, Call(Sys.getpgid, 0));
        Assert.Equal(1234, Call(Sys.getsid, 0));
        Assert.Equal(-Errno.ESRCH, Call(Sys.getpgid, 4321));
        Assert.Equal(-Errno.ESRCH, Call(Sys.getsid, 4321));
        Assert.Equal(-Errno.EPERM, Call(Sys.setsid));                   // already a group leader
        Assert.Equal(-Errno.EINVAL, Call(Sys.setpgid, 0, Neg(3)));
        Assert.Equal(-Errno.ESRCH, Call(Sys.setpgid, 4321, 0));
        Assert.Equal(-Errno.EPERM, Call(Sys.setpgid, 0, 0));             // a session leader cannot move
    }

    [Fact]
    public void ExecveReportsBadPathsAndKeepsTheImage()
    {
        ulong buf = _f.Strand.Scratch();
        Assert.Equal(-Errno.EFAULT, Call(Sys.execve, 0x9000_0000, 0, 0));
        Assert.Equal(-Errno.ENOENT, Call(Sys.execve, _f.Strand.PutString(buf, ""), 0, 0));
        Assert.Equal(-Errno.ENOENT, Call(Sys.execve, _f.Strand.PutString(buf, "/no/such/program"), 0, 0));
        Assert.Equal(-Errno.EFAULT, Call(Sys.execve, _f.Strand.PutString(buf, "/bin/sh"), 0x9000_0000, 0));
        Assert.Equal(-Errno.EACCES, Call(Sys.execve, _f.Strand.PutString(buf, "/"), 0, 0));
        Assert.Null(_f.Strand.KilledBy);
        Assert.Null(_f.Strand.ExitStatus);
    }

    [Fact]
    public void ExitGroupEndsTheProcessWithTheLowByte()
    {
        Call(Sys.exit_group, 0x1ff);
        Assert.Equal(0xff, _f.Strand.ExitStatus);
    }
}
