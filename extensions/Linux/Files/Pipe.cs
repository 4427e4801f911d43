using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// A pipe: a 64 KiB ring buffer between read ends and write ends. Reading an empty pipe answers
/// -EAGAIN while writers remain (0, end of file, when none); writing with no readers answers -EPIPE;
/// writing a full pipe answers -EAGAIN. A write of at most <see cref="AtomicLimit"/> bytes goes in
/// whole or not at all; a longer one moves what fits (a short count). Every change of state wakes
/// the pipe's queue and the shared poll queue, so blocked readers, writers and pollers re-check.
/// </summary>
internal sealed class Pipe
{
    /// <summary>Bytes the ring holds (Linux's default pipe size).</summary>
    public const int Capacity = 64 * 1024;

    /// <summary>PIPE_BUF: writes up to this size are atomic.</summary>
    public const int AtomicLimit = 4096;

    private readonly byte[] _ring = new byte[Capacity];
    private readonly IWaitQueue? _pollers;
    private int _head, _count;

    /// <param name="queue">Where blocked readers and writers wait.</param>
    /// <param name="pollers">Where blocked poll calls wait (shared by all pipes); null if none.</param>
    /// <param name="inode">The pipe's inode number for fstat.</param>
    public Pipe(IWaitQueue queue, IWaitQueue? pollers, ulong inode)
    {
        Queue = queue;
        _pollers = pollers;
        Inode = inode;
    }

    public IWaitQueue Queue { get; }
    public ulong Inode { get; }
    public int Readers { get; private set; }
    public int Writers { get; private set; }

    /// <summary>Bytes waiting to be read.</summary>
    public int Buffered => _count;

    /// <summary>The two ends, as pipe2 hands them out (<paramref name="flags"/>: O_NONBLOCK).</summary>
    public (FileDescription Read, FileDescription Write) Open(int flags)
    {
        Readers++;
        Writers++;
        return (new PipeEnd(this, reader: true, flags & LinuxAbi.O_NONBLOCK), new PipeEnd(this, reader: false, 1 | (flags & LinuxAbi.O_NONBLOCK)));
    }

    /// <summary>
    /// Moves up to buffer.Length bytes out (with <paramref name="peek"/>, copies them and leaves them); 0 at end
    /// of file, -EAGAIN if empty with writers left.
    /// </summary>
    public long Read(Span<byte> buffer, bool peek = false)
    {
        if (buffer.Length == 0) return 0;
        if (_count == 0) return Writers == 0 ? 0 : -Errno.EAGAIN;
        int n = Math.Min(buffer.Length, _count);
        int first = Math.Min(n, Capacity - _head);
        _ring.AsSpan(_head, first).CopyTo(buffer);
        _ring.AsSpan(0, n - first).CopyTo(buffer[first..]);
        if (peek) return n;
        _head = (_head + n) % Capacity;
        _count -= n;
        Changed();
        return n;
    }

    /// <summary>Moves bytes in; -EPIPE with no readers, -EAGAIN if they do not fit (see the class contract).</summary>
    public long Write(ReadOnlySpan<byte> buffer)
    {
        if (Readers == 0) return -Errno.EPIPE;
        if (buffer.Length == 0) return 0;
        int free = Capacity - _count;
        if (buffer.Length <= AtomicLimit ? free < buffer.Length : free == 0) return -Errno.EAGAIN;
        int n = Math.Min(buffer.Length, free);
        int tail = (_head + _count) % Capacity;
        int first = Math.Min(n, Capacity - tail);
        buffer[..first].CopyTo(_ring.AsSpan(tail));
        buffer[first..n].CopyTo(_ring);
        _count += n;
        Changed();
        return n;
    }

    /// <summary>poll revents of a read end or a write end.</summary>
    public short Poll(bool reader)
    {
        if (reader) return (short)((_count > 0 ? FileAbi.POLLIN : 0) | (Writers == 0 ? FileAbi.POLLHUP : 0));
        if (Readers == 0) return FileAbi.POLLERR;
        return _count < Capacity ? FileAbi.POLLOUT : (short)0;
    }

    /// <summary>One end's last reference went away.</summary>
    public void CloseEnd(bool reader)
    {
        if (reader) Readers--; else Writers--;
        Changed();
    }

    private void Changed()
    {
        Queue.WakeAll();
        _pollers?.WakeAll();
    }
}

/// <summary>One end of a <see cref="Pipe"/>.</summary>
internal sealed class PipeEnd(Pipe pipe, bool reader, int flags) : FileDescription(flags)
{
    public Pipe Pipe => pipe;
    public override long Read(Span<byte> buffer) => pipe.Read(buffer);
    public override long Write(ReadOnlySpan<byte> buffer) => pipe.Write(buffer);
    public override short Poll() => pipe.Poll(reader);
    public override IWaitQueue? WaitQueue => pipe.Queue;
    public override int Allocate(int mode, long offset, long length) => -Errno.ESPIPE;
    public override byte[] LinkText() => System.Text.Encoding.ASCII.GetBytes($"pipe:[{pipe.Inode}]");

    public override int Stat(out FileStatus status)
    {
        status = new FileStatus { Device = 0xf, Inode = pipe.Inode, Mode = FileAbi.S_IFIFO | 0x180, LinkCount = 1, BlockSize = 4096 };
        return 0;
    }

    protected override void Close() => pipe.CloseEnd(reader);
}
