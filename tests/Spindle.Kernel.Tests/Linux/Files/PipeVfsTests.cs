using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>Pipes: the ring buffer on its own, then pipe2/read/write through the calls with the restart contract.</summary>
public sealed class PipeVfsTests
{
    private readonly FakeWaitQueue _queue = new("pipe"), _pollers = new("poll");
    private static ulong U(long v) => (ulong)v;

    private Pipe NewPipe(out FileDescription read, out FileDescription write, int flags = 0)
    {
        var pipe = new Pipe(_queue, _pollers, 1);
        (read, write) = pipe.Open(flags);
        return pipe;
    }

    [Fact]
    public void BytesComeOutInOrderAcrossTheRingsEnd()
    {
        var pipe = NewPipe(out var r, out var w);
        var chunk = new byte[40_000];
        var got = new byte[40_000];
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)(i * 7 + round);
            Assert.Equal(chunk.Length, w.Write(chunk));
            Assert.Equal(chunk.Length, r.Read(got));
            Assert.Equal(chunk, got);
        }
        Assert.Equal(0, pipe.Buffered);
        Assert.True(_queue.Wakes >= 10 && _pollers.Wakes == _queue.Wakes);
    }

    [Fact]
    public void EmptyPipesWaitWhileWritersRemainThenEnd()
    {
        var pipe = NewPipe(out var r, out var w);
        var buf = new byte[8];
        Assert.Equal(-Errno.EAGAIN, r.Read(buf));
        w.Write("xy"u8);
        w.Release();
        Assert.Equal(0, pipe.Writers);
        Assert.Equal(2, r.Read(buf));                 // what was written still arrives
        Assert.Equal(0, r.Read(buf));                 // then end of file
        Assert.Equal(FileAbi.POLLHUP, r.Poll());
    }

    [Fact]
    public void FullPipesRefuseSmallWritesWholeAndTakePartOfLargeOnes()
    {
        var pipe = NewPipe(out var r, out var w);
        Assert.Equal(Pipe.Capacity - 100, w.Write(new byte[Pipe.Capacity - 100]));
        Assert.Equal(-Errno.EAGAIN, w.Write(new byte[200]));        // atomic: all or nothing
        Assert.Equal(100, w.Write(new byte[Pipe.AtomicLimit + 1]));  // large: what fits
        Assert.Equal(-Errno.EAGAIN, w.Write(new byte[Pipe.AtomicLimit + 1]));
        Assert.Equal(0, w.Poll());
        Assert.Equal(FileAbi.POLLIN, r.Poll());
        r.Read(new byte[10]);
        Assert.Equal(FileAbi.POLLOUT, w.Poll());
        Assert.Equal(0, w.Write([]));
    }

    [Fact]
    public void WritingWithNoReaderIsABrokenPipe()
    {
        var pipe = NewPipe(out var r, out var w);
        r.Release();
        Assert.Equal(-Errno.EPIPE, w.Write("x"u8));
        Assert.Equal(FileAbi.POLLERR, w.Poll());
        Assert.Equal(0, pipe.Readers);
    }

    [Fact]
    public void Pipe2GivesTwoEndsThatCarryBytes()
    {
        var m = new MemoryRootFixture();
        Assert.Equal(0, m.Call(Sys.pipe2, m.Page(1), 0));
        int rfd = BinaryPrimitives.ReadInt32LittleEndian(m.S.Get(m.Page(1), 4));
        int wfd = BinaryPrimitives.ReadInt32LittleEndian(m.S.Get(m.Page(1) + 4, 4));
        Assert.Equal((3, 4), (rfd, wfd));
        Assert.Equal(5, m.WriteText(wfd, "hello"));
        Assert.Equal("hello", m.ReadText(rfd));
        Assert.Equal(-Errno.EBADF, m.WriteText(rfd, "x"));            // the read end is read-only
        Assert.Equal(-Errno.EBADF, m.Call(Sys.read, U(wfd), m.Page(6), 1));
        Assert.Equal(-Errno.ESPIPE, m.Call(Sys.lseek, U(rfd), 0, 0));
        Assert.Equal(-Errno.ESPIPE, m.Call(Sys.pread64, U(rfd), m.Page(6), 1, 0));
        Assert.Equal(0, m.Call(Sys.fstat, U(rfd), m.Page(4)));
        Assert.Equal(0x1000u, BinaryPrimitives.ReadUInt32LittleEndian(m.S.Get(m.Page(4) + 16, 4)) & 0xf000);
    }

    [Fact]
    public void ReadingAnEmptyPipeBlocksAndRestartsWhenWoken()
    {
        var m = new MemoryRootFixture();
        m.Call(Sys.pipe2, m.Page(1), 0);
        long r = m.Call(Sys.read, 3, m.Page(6), 10);
        Assert.NotNull(m.S.BlockedOn);
        FakeWaitQueue queue = Assert.IsType<FakeWaitQueue>(m.S.BlockedOn!.Value.Queue);
        Assert.StartsWith("pipe", queue.Name);
        Assert.Equal(-1, m.S.BlockedOn.Value.Deadline);
        int wakes = queue.Wakes;
        Assert.Equal(2, m.WriteText(4, "hi"));
        Assert.True(queue.Wakes > wakes);                            // the writer woke the reader
        Assert.Equal("hi", m.ReadText(3));                           // the restarted read
        Assert.Null(m.S.BlockedOn);
        m.S.SignalPending = true;
        Assert.Equal(-Errno.EINTR, m.Call(Sys.read, 3, m.Page(6), 10));
        Assert.Null(m.S.BlockedOn);
    }

    [Fact]
    public void NonBlockingEndsAnswerEagainAndFcntlTurnsItOff()
    {
        var m = new MemoryRootFixture();
        Assert.Equal(0, m.Call(Sys.pipe2, m.Page(1), LinuxAbi.O_NONBLOCK | LinuxAbi.O_CLOEXEC));
        Assert.Equal(-Errno.EAGAIN, m.Call(Sys.read, 3, m.Page(6), 10));
        Assert.Null(m.S.BlockedOn);
        Assert.Equal(FileAbi.FD_CLOEXEC, m.Call(Sys.fcntl, 3, FileAbi.F_GETFD));
        Assert.Equal(LinuxAbi.O_NONBLOCK, m.Call(Sys.fcntl, 3, FileAbi.F_GETFL));
        Assert.Equal(0, m.Call(Sys.fcntl, 3, FileAbi.F_SETFL, 0));
        m.Call(Sys.read, 3, m.Page(6), 10);
        Assert.NotNull(m.S.BlockedOn);
    }

    [Fact]
    public void FullPipesBlockWritersAndBrokenPipesAnswerEpipe()
    {
        var m = new MemoryRootFixture();
        m.Call(Sys.pipe2, m.Page(1), 0);
        Assert.Equal(Pipe.Capacity / 2, m.Call(Sys.write, 4, m.Page(0), Pipe.Capacity / 2));
        Assert.Equal(Pipe.Capacity / 2, m.Call(Sys.write, 4, m.Page(0), Pipe.Capacity / 2)); // full now
        m.Call(Sys.write, 4, m.Page(0), 1);
        Assert.NotNull(m.S.BlockedOn);
        Assert.Equal(0, m.Call(Sys.close, 3));
        Assert.False(m.S.SignalPending);
        Assert.Equal(-Errno.EPIPE, m.Call(Sys.write, 4, m.Page(0), 1));
        Assert.Null(m.S.BlockedOn);
        Assert.True(m.S.SignalPending);                                // SIGPIPE queued for the writer
        var thread = Assert.IsType<Spindle.Extensions.Linux.Process.LinuxThread>(m.Personality.ThreadOf(m.S));
        Assert.NotEqual(0ul, thread.Pending);
    }

    [Fact]
    public void ForkedDescriptorsKeepThePipeOpenUntilTheLastClose()
    {
        var m = new MemoryRootFixture();
        m.Call(Sys.pipe2, m.Page(1), 0);
        FileTable child = m.Process.Files.Clone();
        m.Call(Sys.close, 4);                                         // the parent's write end
        Assert.Equal(-Errno.EAGAIN, m.Process.Get(3)!.Read(new byte[1])); // the child's keeps it open
        child.CloseAll();
        Assert.Equal(0, m.Process.Get(3)!.Read(new byte[1]));          // now end of file
    }

    [Fact]
    public void Pipe2RefusesBadFlagsAndBadAddressesWithoutLeaking()
    {
        var m = new MemoryRootFixture();
        Assert.Equal(-Errno.EINVAL, m.Call(Sys.pipe2, m.Page(1), LinuxAbi.O_APPEND));
        Assert.Equal(-Errno.EFAULT, m.Call(Sys.pipe2, 0x7000_0000, 0));
        Assert.Null(m.Process.Get(3));
        Assert.Null(m.Process.Get(4));
        var none = new MemoryRootFixture(waitQueues: false);
        Assert.Equal(-Errno.ENOSYS, none.Call(Sys.pipe2, none.Page(1), 0));
    }
}
