using System.Buffers.Binary;
using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Services;
using Spindle.Kernel.Tests.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>A console whose input arrives when the test says (<see cref="Arrive"/> plays the interrupt).</summary>
internal sealed class ArrivingConsole : IConsole
{
    private readonly List<byte> _input = [];
    private readonly List<Action> _watchers = [];
    private bool _ended;
    public int WatchCalls;

    public void Arrive(string text, bool end = false)
    {
        _input.AddRange(Encoding.UTF8.GetBytes(text));
        _ended |= end;
        foreach (var w in _watchers) w();
    }

    public bool InputAvailable => _input.Count > 0 || _ended;

    public long TryRead(Span<byte> buffer)
    {
        if (_input.Count == 0) return _ended ? 0 : -Errno.EAGAIN;
        int n = Math.Min(buffer.Length, _input.Count);
        for (int i = 0; i < n; i++) buffer[i] = _input[i];
        _input.RemoveRange(0, n);
        return n;
    }

    public bool WatchInput(Action handler) { WatchCalls++; _watchers.Add(handler); return true; }

    public long Read(Span<byte> buffer) => throw new InvalidOperationException("the personality must not block the host thread");
    public long Write(int stream, ReadOnlySpan<byte> buffer) => buffer.Length;
    public bool IsTerminal(int stream) => true;
    public int GetTerminalAttributes(int stream, Span<byte> termios) => -Errno.ENOTTY;
    public int GetWindowSize(int stream, Span<byte> winsize) => -Errno.ENOTTY;
    public int Stat(int stream, out FileStatus status) { status = new FileStatus { Mode = 0x2000 | 0x1b6 }; return 0; }
    public void Flush() { }
}

/// <summary>
/// Descriptor 0 and /dev/tty over a console that signals arrival: reads block by the restart contract on
/// the console queue (never the host thread), arrivals wake readers and pollers, poll tells the truth.
/// </summary>
public sealed class FileConsoleTests
{
    private readonly ArrivingConsole _console = new();
    private readonly FakeStrand _s = new() { Now = 1_000_000 };
    private readonly LinuxPersonality _personality;
    private readonly List<FakeWaitQueue> _queues = [];
    private readonly ulong _buf;

    public FileConsoleTests()
    {
        _personality = FakeStrand.WithSlot(new LinuxPersonality(new LinuxServices(new HostFileSystem("/"), _console, new FixedClock(), new CountingEntropy())));
        var process = _personality.CreateProcess(new ProcessIdentity(1234, 1, 1000, 1000), "/bin/prog", "/",
            LinuxFixture.BrkStart, LinuxFixture.MapBase, LinuxFixture.MapLimit);
        _personality.AdoptStrand(_s, process);
        _personality.UseRoot(new MemoryFs(new FixedClock()));
        _personality.UseWaitQueues(n => { var q = new FakeWaitQueue(n); _queues.Add(q); return q; });
        _buf = _s.Scratch(0x10_0000, pages: 4);
    }

    private long Call(int number, params ulong[] args)
    {
        _s.Number = (ulong)number;
        Array.Clear(_s.Args);
        args.CopyTo(_s.Args, 0);
        _s.BlockedOn = null;
        _personality.Syscall(_s);
        Assert.False(_s.HasExited, "a file call ended the strand");
        return _s.Result;
    }

    private long Read(long fd) => Call(Sys.read, (ulong)fd, _buf, 64);
    private string Got(long n) => Encoding.UTF8.GetString(_s.Get(_buf, (int)n));
    private FakeWaitQueue Queue(string name) => Assert.Single(_queues, q => q.Name == name);

    // ppoll of one fd for events with a zero timeout; returns revents.
    private short PollNow(int fd, short events)
    {
        var entry = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(entry, fd);
        BinaryPrimitives.WriteInt16LittleEndian(entry.AsSpan(4), events);
        _s.CopyOut(_buf + 1024, entry);
        _s.CopyOut(_buf + 1100, new byte[16]);
        Assert.True(Call(Sys.ppoll, _buf + 1024, 1, _buf + 1100, 0, 8) >= 0);
        return BinaryPrimitives.ReadInt16LittleEndian(_s.Get(_buf + 1030, 2));
    }

    [Fact]
    public void ReadOfStdinBlocksOnTheConsoleQueueUntilInputArrives()
    {
        Read(0);
        Assert.NotNull(_s.BlockedOn);
        var console = Queue("console");
        Assert.Same(console, _s.BlockedOn!.Value.Queue);
        Assert.Equal(-1, _s.BlockedOn.Value.Deadline);

        _console.Arrive("ls\n");
        Assert.Equal(1, console.Wakes);
        Assert.Equal(1, Queue("poll").Wakes);
        long n = Read(0); // the restart
        Assert.Null(_s.BlockedOn);
        Assert.Equal("ls\n", Got(n));
    }

    [Fact]
    public void EndOfInputReadsZeroAndNeverBlocks()
    {
        _console.Arrive("", end: true);
        Assert.Equal(0, Read(0));
        Assert.Null(_s.BlockedOn);
    }

    [Fact]
    public void NonBlockingStdinAnswersEagain()
    {
        Assert.Equal(0, Call(Sys.fcntl, 0, FileAbi.F_SETFL, LinuxAbi.O_NONBLOCK));
        Assert.Equal(-Errno.EAGAIN, Read(0));
        Assert.Null(_s.BlockedOn);
    }

    [Fact]
    public void APendingSignalInterruptsTheWait()
    {
        _s.SignalPending = true;
        Assert.Equal(-Errno.EINTR, Read(0));
        Assert.Null(_s.BlockedOn);
    }

    [Fact]
    public void PollReportsStdinReadableOnlyOnceInputArrived()
    {
        const short inOut = FileAbi.POLLIN | FileAbi.POLLOUT;
        Assert.Equal(0, PollNow(0, inOut));
        Assert.Equal(FileAbi.POLLOUT, PollNow(1, inOut));
        _console.Arrive("x");
        Assert.Equal(FileAbi.POLLIN, PollNow(0, inOut));
    }

    [Fact]
    public void APollWaitingOnStdinIsWokenByArrival()
    {
        var entry = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(entry, 0);
        BinaryPrimitives.WriteInt16LittleEndian(entry.AsSpan(4), FileAbi.POLLIN);
        _s.CopyOut(_buf + 1024, entry);
        Call(Sys.ppoll, _buf + 1024, 1, 0, 0, 8);
        var poll = Queue("poll");
        Assert.Same(poll, _s.BlockedOn!.Value.Queue);
        _console.Arrive("y");
        Assert.Equal(1, poll.Wakes);
    }

    [Fact]
    public void DevTtyReadsAndPollsTheSameInput()
    {
        long tty = Call(Sys.openat, unchecked((ulong)LinuxAbi.AT_FDCWD), _s.PutString(_buf + 2048, "/dev/tty"), 2, 0);
        Assert.True(tty >= 3, $"open /dev/tty = {tty}");
        Assert.Equal(FileAbi.POLLOUT, PollNow((int)tty, FileAbi.POLLIN | FileAbi.POLLOUT));
        Read(tty);
        Assert.Same(Queue("console"), _s.BlockedOn!.Value.Queue);
        _console.Arrive("typed");
        Assert.Equal(FileAbi.POLLIN | FileAbi.POLLOUT, PollNow((int)tty, FileAbi.POLLIN | FileAbi.POLLOUT));
        Assert.Equal("typed", Got(Read(tty)));
        Assert.Equal(1, _console.WatchCalls); // one watch for every console file
    }

    [Fact]
    public void StdinOfAConsoleThatCannotSignalStaysReadyAndReadsDirectly()
    {
        var fixture = new LinuxFixture();
        fixture.Console.Input = "abc"u8.ToArray();
        ulong buf = fixture.Strand.Scratch();
        Assert.Equal(3, fixture.Call(Sys.read, 0, buf, 16));
        Assert.Equal("abc"u8.ToArray(), fixture.Strand.Get(buf, 3));
    }
}
