using System.Collections.Concurrent;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Services;
using Spindle.Kernel.Strand;
using Spindle.Machine.Devices;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>
/// A blocking input source the test feeds: each chunk given to <see cref="Feed"/> is one read's worth
/// (split if the reader asks for less); <see cref="End"/> ends the input with a result (0: end of file).
/// </summary>
internal sealed class FedSource
{
    private readonly BlockingCollection<byte[]> _chunks = [];
    private byte[] _rest = [];
    private long _endResult = 1;
    public int Calls;

    public void Feed(byte[] chunk) => _chunks.Add(chunk);
    public void End(long result = 0) { _endResult = result; _chunks.CompleteAdding(); }

    public long Read(Span<byte> buffer)
    {
        Interlocked.Increment(ref Calls);
        if (_rest.Length == 0)
        {
            if (!_chunks.TryTake(out var next, Timeout.Infinite)) return _endResult;
            _rest = next;
        }
        int n = Math.Min(buffer.Length, _rest.Length);
        _rest.AsSpan(0, n).CopyTo(buffer);
        _rest = _rest[n..];
        return n;
    }
}

/// <summary>
/// ConsoleInput: unconnected it reads the source directly; connected, a lazily started reader thread
/// buffers input and raises its interrupt line on arrival, and reads answer -EAGAIN until something arrived.
/// </summary>
public sealed class InputConsoleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a liveness bound, not a timing claim

    private readonly FedSource _source = new();
    private readonly InterruptLines _lines = new();

    private ConsoleInput Connected(int capacity = ConsoleInput.DefaultCapacity)
    {
        var input = new ConsoleInput(_source.Read, capacity);
        input.Connect(_lines);
        return input;
    }

    // Waits for the input's line to be raised and drains the lines, as the CPU would.
    private void ServiceInterrupt()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (_lines.Pending == 0)
        {
            _lines.Bell.Clear();
            if (_lines.Pending != 0) break;
            Assert.True(DateTime.UtcNow < deadline, "no interrupt was raised");
            _lines.Bell.Wait(10_000_000);
        }
        _lines.Drain((_, e) => Assert.Fail($"a handler faulted: {e}"));
    }

    [Fact]
    public void UnconnectedReadsTheSourceOnTheCallingThread()
    {
        var input = new ConsoleInput(_source.Read);
        _source.Feed("abc"u8.ToArray());
        _source.End();
        Assert.False(input.IsConnected);
        Assert.True(input.Available);
        Assert.False(input.Watch(() => { }));
        var buf = new byte[8];
        Assert.Equal(3, input.TryRead(buf));
        Assert.Equal("abc"u8.ToArray(), buf[..3]);
        Assert.Equal(0, input.TryRead(buf));
    }

    [Fact]
    public void TheReaderStartsOnlyWithTheFirstRead()
    {
        var input = Connected();
        Assert.True(input.Watch(() => { }));
        Assert.Equal(0, _source.Calls); // nobody asked for input: the host's input is left alone
        Assert.Equal(-Errno.EAGAIN, input.TryRead(new byte[4]));
        _source.Feed("x"u8.ToArray());
        ServiceInterrupt();
        Assert.True(_source.Calls >= 1);
    }

    [Fact]
    public void ArrivalPostsAnInterruptThatRunsTheWatchers()
    {
        var input = Connected();
        int woken = 0;
        input.Watch(() => woken++);
        Assert.False(input.Available);
        Assert.Equal(-Errno.EAGAIN, input.TryRead(new byte[4]));
        Assert.Equal(0, woken);
        _source.Feed("hello"u8.ToArray());
        ServiceInterrupt();
        Assert.Equal(1, woken);
        Assert.True(input.Available);
        var buf = new byte[16];
        Assert.Equal(5, input.TryRead(buf));
        Assert.Equal("hello"u8.ToArray(), buf[..5]);
        Assert.Equal(-Errno.EAGAIN, input.TryRead(buf));
    }

    [Fact]
    public void EndOfInputIsSignalledAndStays()
    {
        var input = Connected();
        int woken = 0;
        input.Watch(() => woken++);
        Assert.Equal(-Errno.EAGAIN, input.TryRead(new byte[4]));
        _source.Feed("ab"u8.ToArray());
        _source.End();
        var got = new List<byte>();
        var buf = new byte[4];
        long n;
        while ((n = input.TryRead(buf)) != 0)
        {
            if (n == -Errno.EAGAIN) { ServiceInterrupt(); continue; }
            Assert.True(n > 0, $"read = {n}");
            got.AddRange(buf[..(int)n]);
        }
        Assert.Equal("ab"u8.ToArray(), got);
        Assert.True(input.Available);
        Assert.Equal(0, input.TryRead(buf));
        if (woken == 0) ServiceInterrupt(); // the reads may have found the bytes before the arrival was serviced
        Assert.True(woken >= 1);
    }

    [Fact]
    public void ASourceErrorEndsInputAfterTheBytesBeforeIt()
    {
        var input = Connected();
        Assert.Equal(-Errno.EAGAIN, input.TryRead(new byte[4]));
        _source.Feed("z"u8.ToArray());
        _source.End(-Errno.EIO);
        var buf = new byte[4];
        while (!input.Available) ServiceInterrupt();
        long first = input.TryRead(buf);
        if (first == 1) { while (!input.Available) ServiceInterrupt(); first = input.TryRead(buf); }
        Assert.Equal(-Errno.EIO, first);
        Assert.Equal(-Errno.EIO, input.TryRead(buf));
    }

    [Fact]
    public void AThrowingSourceEndsInputWithEio()
    {
        var input = new ConsoleInput(_ => throw new IOException("gone"));
        input.Connect(_lines);
        Assert.Equal(-Errno.EAGAIN, input.TryRead(new byte[4]));
        ServiceInterrupt();
        Assert.Equal(-Errno.EIO, input.TryRead(new byte[4]));
    }

    [Fact]
    public void ASmallBufferPassesEveryByteInOrder()
    {
        var input = Connected(capacity: 3);
        var sent = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        for (int at = 0; at < sent.Length; at += 37) _source.Feed(sent[at..Math.Min(sent.Length, at + 37)]);
        _source.End();
        var got = new List<byte>();
        var buf = new byte[5];
        long n;
        while ((n = input.Read(buf)) > 0) got.AddRange(buf[..(int)n]);
        Assert.Equal(0, n);
        Assert.Equal(sent, got);
    }

    [Fact]
    public void BadUseIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new ConsoleInput(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleInput(_source.Read, 0));
        var input = Connected();
        Assert.Throws<InvalidOperationException>(() => input.Connect(new InterruptLines()));
        Assert.Throws<ArgumentNullException>(() => input.Watch(null!));
        Assert.Equal(0, input.TryRead([]));
    }

    [Fact]
    public void AStrandWaitingForInputIsWokenByTheInterruptWhileOthersRun()
    {
        var scheduler = new Scheduler(new Spindle.Kernel.Dispatcher.Dispatcher());
        var input = new ConsoleInput(_source.Read);
        input.Connect(scheduler.Lines);
        var service = scheduler.For(new KernelOwner("test"));
        var readers = service.CreateWaitQueue("console");
        input.Watch(() => readers.WakeAll());
        var got = new List<byte>();
        int spins = 0;
        bool reading = true;
        service.SpawnKernel("reader", 10, async self =>
        {
            var buf = new byte[8];
            while (true)
            {
                long n = input.TryRead(buf);
                if (n == 0) break;
                if (n == -Errno.EAGAIN) { await readers.Wait(self); continue; }
                got.AddRange(buf[..(int)n]);
            }
            reading = false;
        });
        service.SpawnKernel("worker", 10, async self =>
        {
            while (spins < 3) { spins++; await service.Yield(self); }
            _source.Feed("in"u8.ToArray()); // the input comes only after the worker ran
            _source.End();
        });
        var run = Task.Run(() => scheduler.Run());
        Assert.True(run.Wait(Patience), "the scheduler did not finish: the reader was never woken");
        Assert.False(reading);
        Assert.Equal(3, spins);
        Assert.Equal("in"u8.ToArray(), got);
    }
}
