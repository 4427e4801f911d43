using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>ppoll: readiness of pipes, files, devices and the console; timeouts kept across restarts.</summary>
public sealed class PollVfsTests
{
    private readonly MemoryRootFixture _m = new();
    private static ulong U(long v) => (ulong)v;

    // Writes struct pollfd entries at page 2; returns its address.
    private ulong Fds(params (int Fd, short Events)[] entries)
    {
        var b = new byte[entries.Length * 8];
        for (int i = 0; i < entries.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(i * 8), entries[i].Fd);
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(i * 8 + 4), entries[i].Events);
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(i * 8 + 6), 0x7777); // garbage revents
        }
        _m.S.CopyOut(_m.Page(2), b);
        return _m.Page(2);
    }

    private short Revents(int index) => BinaryPrimitives.ReadInt16LittleEndian(_m.S.Get(_m.Page(2) + (ulong)index * 8 + 6, 2));

    // Writes a struct timespec at page 1; returns its address.
    private ulong Timeout(long sec, long nsec)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(b, sec);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), nsec);
        _m.S.CopyOut(_m.Page(1) + 64, b);
        return _m.Page(1) + 64;
    }

    private void Pipe() => Assert.Equal(0, _m.Call(Sys.pipe2, _m.Page(1), 0)); // fds 3 (read), 4 (write)

    [Fact]
    public void ReadinessOfEachKindOfFile()
    {
        Pipe();
        long file = _m.Open("/f", 0x41);
        long zero = _m.Open("/dev/zero", 0);
        const short inOut = FileAbi.POLLIN | FileAbi.POLLOUT;
        ulong fds = Fds((3, inOut), (4, inOut), ((int)file, inOut), ((int)zero, FileAbi.POLLIN), (0, FileAbi.POLLIN), (1, inOut), (-1, inOut), (200, FileAbi.POLLIN));
        Assert.Equal(6, _m.Call(Sys.ppoll, fds, 8, Timeout(0, 0), 0, 8));
        Assert.Equal(0, Revents(0));                                   // empty pipe
        Assert.Equal(FileAbi.POLLOUT, Revents(1));
        Assert.Equal(inOut, Revents(2));                                // regular files are always ready
        Assert.Equal(FileAbi.POLLIN, Revents(3));
        Assert.Equal(FileAbi.POLLIN, Revents(4));                       // console input: reported ready (see ConsoleFile)
        Assert.Equal(FileAbi.POLLOUT, Revents(5));
        Assert.Equal(0, Revents(6));                                    // negative fd: ignored
        Assert.Equal(FileAbi.POLLNVAL, Revents(7));
    }

    [Fact]
    public void PipesBecomeReadableAndHangUp()
    {
        Pipe();
        _m.WriteText(4, "x");
        Assert.Equal(1, _m.Call(Sys.ppoll, Fds((3, FileAbi.POLLIN | FileAbi.POLLRDNORM)), 1, Timeout(0, 0), 0, 8));
        Assert.Equal(FileAbi.POLLIN | FileAbi.POLLRDNORM, Revents(0));
        _m.Call(Sys.close, 4);
        _m.ReadText(3);
        Assert.Equal(1, _m.Call(Sys.ppoll, Fds((3, FileAbi.POLLIN)), 1, Timeout(0, 0), 0, 8));
        Assert.Equal(FileAbi.POLLHUP, Revents(0));                      // reported even when not asked for
    }

    [Fact]
    public void APollThatMustWaitBlocksUntilItsDeadlineKeptAcrossRestarts()
    {
        Pipe();
        _m.S.Now = 1_000_000_000;
        ulong fds = Fds((3, FileAbi.POLLIN));
        _m.Call(Sys.ppoll, fds, 1, Timeout(2, 500), 0, 8);
        Assert.NotNull(_m.S.BlockedOn);
        Assert.Equal(3_000_000_500, _m.S.BlockedOn!.Value.Deadline);
        Assert.Equal("poll", Assert.IsType<FakeWaitQueue>(_m.S.BlockedOn.Value.Queue).Name);
        _m.S.RestartingSyscall = true;
        _m.S.Now = 2_000_000_000;                                        // woken early: the restart keeps the first deadline
        _m.Call(Sys.ppoll, fds, 1, Timeout(2, 500), 0, 8);
        Assert.Equal(3_000_000_500, _m.S.BlockedOn!.Value.Deadline);
        _m.S.Now = 3_000_000_500;                                        // the deadline passed: 0 ready
        Assert.Equal(0, _m.Call(Sys.ppoll, fds, 1, Timeout(2, 500), 0, 8));
        Assert.Null(_m.S.BlockedOn);
        _m.S.RestartingSyscall = false;
        _m.S.Now = 5_000_000_000;                                        // a new call starts a new timer
        _m.Call(Sys.ppoll, fds, 1, Timeout(1, 0), 0, 8);
        Assert.Equal(6_000_000_000, _m.S.BlockedOn!.Value.Deadline);
        _m.S.SignalPending = true;                                       // a signal cuts the wait short
        Assert.Equal(-Errno.EINTR, _m.Call(Sys.ppoll, fds, 1, Timeout(1, 0), 0, 8));
        _m.S.SignalPending = false;
        _m.S.Now = 5_500_000_000;                                        // and leaves no stale deadline behind
        _m.Call(Sys.ppoll, fds, 1, Timeout(1, 0), 0, 8);
        Assert.Equal(6_500_000_000, _m.S.BlockedOn!.Value.Deadline);
        _m.S.RestartingSyscall = true;
        _m.S.Now = 5_600_000_000;
        _m.Call(Sys.ppoll, fds, 1, Timeout(1, 0), 0, 8);
        Assert.Equal(6_500_000_000, _m.S.BlockedOn!.Value.Deadline);
    }

    [Fact]
    public void WritesWakePollersAndANullTimeoutWaitsForever()
    {
        Pipe();
        ulong fds = Fds((3, FileAbi.POLLIN));
        _m.Call(Sys.ppoll, fds, 1, 0, 0, 8);
        Assert.Equal(-1, _m.S.BlockedOn!.Value.Deadline);
        var pollers = Assert.IsType<FakeWaitQueue>(_m.S.BlockedOn.Value.Queue);
        int wakes = pollers.Wakes;
        _m.WriteText(4, "go");
        Assert.True(pollers.Wakes > wakes);
        Assert.Equal(1, _m.Call(Sys.ppoll, fds, 1, 0, 0, 8));        // the restart finds it ready
        Assert.Null(_m.S.BlockedOn);
    }

    [Fact]
    public void ASignalInterruptsAWaitingPoll()
    {
        Pipe();
        ulong fds = Fds((3, FileAbi.POLLIN));
        _m.Call(Sys.ppoll, fds, 1, Timeout(10, 0), 0, 8);
        Assert.NotNull(_m.S.BlockedOn);
        _m.S.SignalPending = true;
        Assert.Equal(-Errno.EINTR, _m.Call(Sys.ppoll, fds, 1, Timeout(10, 0), 0, 8));
        Assert.Null(_m.S.BlockedOn);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.ppoll, _m.Page(2), 5000, 0, 0, 8));
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.ppoll, 0x7000_0000, 1, Timeout(0, 0), 0, 8));
        Assert.Equal(-Errno.EFAULT, _m.Call(Sys.ppoll, Fds((0, 1)), 1, 0x7000_0000, 0, 8));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.ppoll, Fds((0, 1)), 1, Timeout(-1, 0), 0, 8));
        Assert.Equal(-Errno.EINVAL, _m.Call(Sys.ppoll, Fds((0, 1)), 1, Timeout(0, 1_000_000_000), 0, 8));
        Assert.Equal(0, _m.Call(Sys.ppoll, 0, 0, Timeout(0, 0), 0, 8)); // nothing to watch, no wait
    }
}
