using Spindle.Machine.Devices;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Services;

/// <summary>
/// A blocking read of the host's input: fills <paramref name="buffer"/> (not empty) with at least one
/// byte and returns the count, or returns 0 at end of input or a negated <see cref="Errno"/>.
/// </summary>
public delegate long InputSource(Span<byte> buffer);

/// <summary>
/// The console's receive side as an I/O device. Once <see cref="Connect"/>ed to the machine's interrupt
/// lines (it claims one), a background reader thread (started by the first <see cref="TryRead"/> or
/// <see cref="Available"/>, so a program that never reads leaves the host's input alone) moves bytes from
/// the source into a bounded buffer and raises the line when bytes or end of input arrive (raises
/// coalesce on the line: nothing is allocated or queued per arrival); the line's handler runs the
/// <see cref="Watch"/>ed handlers on the CPU's thread. Unconnected, reads go straight to the source and
/// wait on the calling thread (nothing could wake a waiter). The reader never holds up process exit.
/// </summary>
public sealed class ConsoleInput
{
    /// <summary>Bytes buffered ahead of the reader by default.</summary>
    public const int DefaultCapacity = 64 * 1024;

    private readonly InputSource _source;
    private readonly byte[] _ring;
    private readonly object _lock = new();
    private Action[] _watchers = [];   // copied on Watch, so a delivery allocates nothing
    private InterruptLines? _lines;
    private int _line = -1;
    private Thread? _reader;
    private int _head, _count;
    private long _end = 1;        // 1 while input may still come; then 0 (end) or the -errno that ended it

    /// <summary>Input read from <paramref name="source"/>, buffering up to <paramref name="capacity"/> bytes ahead.</summary>
    public ConsoleInput(InputSource source, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _source = source;
        _ring = new byte[capacity];
    }

    /// <summary>True once <see cref="Connect"/> has been called: reads never wait on the caller's thread.</summary>
    public bool IsConnected => _lines != null;

    /// <summary>The interrupt line arrivals raise; -1 until connected.</summary>
    public int Line => _line;

    /// <summary>
    /// Makes arrivals interrupts: claims a line named <paramref name="name"/> on <paramref name="lines"/>,
    /// whose handler runs the watchers on the CPU's thread. Call once, before the first read. Returns the
    /// line. Throws InvalidOperationException if already connected.
    /// </summary>
    public int Connect(InterruptLines lines, string name = "console input")
    {
        ArgumentNullException.ThrowIfNull(lines);
        lock (_lock)
        {
            if (_lines != null) throw new InvalidOperationException("console input is already connected");
            _line = lines.Claim(name, Deliver);
            _lines = lines;
            return _line;
        }
    }

    /// <summary>
    /// CPU thread: runs <paramref name="handler"/> (on the CPU's thread) every time bytes or end of input
    /// arrive from now on. Returns false, and keeps nothing, if unconnected (no arrival is ever signalled).
    /// </summary>
    public bool Watch(Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_lines == null) return false;
        lock (_lock) _watchers = [.. _watchers, handler];
        return true;
    }

    /// <summary>True if <see cref="TryRead"/> would not answer -EAGAIN (bytes, end of input, or unconnected).</summary>
    public bool Available
    {
        get
        {
            if (_lines == null) return true;
            lock (_lock)
            {
                StartReader();
                return _count > 0 || _end <= 0;
            }
        }
    }

    /// <summary>
    /// Moves up to buffer.Length buffered bytes out. Returns the count, 0 at end of input (or for an empty
    /// buffer), the -errno the source failed with once the bytes before it are read, or -EAGAIN if
    /// connected and nothing has arrived yet. Unconnected, it reads the source on this thread.
    /// </summary>
    public long TryRead(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (_lines == null) return _source(buffer);
        lock (_lock)
        {
            StartReader();
            if (_count == 0) return _end <= 0 ? _end : -Errno.EAGAIN;
            int n = Math.Min(buffer.Length, _count);
            int first = Math.Min(n, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(buffer);
            _ring.AsSpan(0, n - first).CopyTo(buffer[first..]);
            _head = (_head + n) % _ring.Length;
            _count -= n;
            Monitor.PulseAll(_lock); // room for the reader
            return n;
        }
    }

    /// <summary>
    /// Like <see cref="TryRead"/>, but instead of answering -EAGAIN it waits on the calling thread until
    /// bytes or end of input arrive (the blocking read of the old synchronous console).
    /// </summary>
    public long Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _lines == null) return TryRead(buffer);
        lock (_lock)
        {
            StartReader();
            while (_count == 0 && _end > 0) Monitor.Wait(_lock);
            return TryRead(buffer);
        }
    }

    // Caller holds _lock and is connected: the first read starts the reader thread.
    private void StartReader()
    {
        if (_reader != null) return;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "console input" };
        _reader.Start();
    }

    // The reader thread: fill free room from the source, raise the line, until end of input.
    private void ReadLoop()
    {
        var chunk = new byte[Math.Min(_ring.Length, 4096)];
        while (true)
        {
            int room;
            lock (_lock)
            {
                while (_count == _ring.Length) Monitor.Wait(_lock);
                room = Math.Min(chunk.Length, _ring.Length - _count);
            }
            long n;
            try { n = _source(chunk.AsSpan(0, room)); }
            catch (Exception) { n = -Errno.EIO; } // a failing source ends input; it never kills the process
            if (n > room) n = -Errno.EIO;
            lock (_lock)
            {
                if (n > 0) Append(chunk.AsSpan(0, (int)n));
                else _end = n;
                Monitor.PulseAll(_lock); // for a waiting Read
            }
            _lines!.Raise(_line);
            if (n <= 0) return;
        }
    }

    // Caller holds _lock and data fits: appends it to the ring.
    private void Append(ReadOnlySpan<byte> data)
    {
        int tail = (_head + _count) % _ring.Length;
        int first = Math.Min(data.Length, _ring.Length - tail);
        data[..first].CopyTo(_ring.AsSpan(tail));
        data[first..].CopyTo(_ring);
        _count += data.Length;
    }

    // CPU thread (the line's handler): runs the watchers. The line was taken before this ran, so an
    // arrival during it raises the line again.
    private void Deliver()
    {
        foreach (var h in Volatile.Read(ref _watchers)) h();
    }
}
