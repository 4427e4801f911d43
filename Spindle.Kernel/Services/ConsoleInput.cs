using Spindle.Sdk.Io;

namespace Spindle.Kernel.Services;

/// <summary>
/// A blocking read of the host's input: fills <paramref name="buffer"/> (not empty) with at least one
/// byte and returns the count, or returns 0 at end of input or a negated <see cref="Errno"/>.
/// </summary>
public delegate long InputSource(Span<byte> buffer);

/// <summary>
/// The console's input as an I/O device. Once <see cref="Connect"/>ed to the CPU's interrupt queue, a
/// background reader thread (started by the first <see cref="TryRead"/> or <see cref="Available"/>, so a
/// program that never reads leaves the host's input alone) moves bytes from the source into a bounded
/// buffer and posts an interrupt when bytes or end of input arrive; the interrupt runs the
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
    private readonly List<Action> _handlers = [];
    private readonly Action _deliver;
    private Action<Action>? _post;
    private Thread? _reader;
    private int _head, _count;
    private long _end = 1;        // 1 while input may still come; then 0 (end) or the -errno that ended it
    private int _posted;          // 1 while an arrival interrupt is queued and not yet run

    /// <summary>Input read from <paramref name="source"/>, buffering up to <paramref name="capacity"/> bytes ahead.</summary>
    public ConsoleInput(InputSource source, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _source = source;
        _ring = new byte[capacity];
        _deliver = Deliver;
    }

    /// <summary>True once <see cref="Connect"/> has been called: reads never wait on the caller's thread.</summary>
    public bool IsConnected => _post != null;

    /// <summary>
    /// Makes arrivals interrupts: <paramref name="post"/> (the scheduler's Interrupt) queues an action to
    /// run on the CPU's thread. Call once, before the first read. Throws InvalidOperationException if
    /// already connected or the reader has started.
    /// </summary>
    public void Connect(Action<Action> post)
    {
        ArgumentNullException.ThrowIfNull(post);
        lock (_lock)
        {
            if (_post != null) throw new InvalidOperationException("console input is already connected");
            _post = post;
        }
    }

    /// <summary>
    /// CPU thread: runs <paramref name="handler"/> (on the CPU's thread) every time bytes or end of input
    /// arrive from now on. Returns false, and keeps nothing, if unconnected (no arrival is ever signalled).
    /// </summary>
    public bool Watch(Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_post == null) return false;
        lock (_lock) _handlers.Add(handler);
        return true;
    }

    /// <summary>True if <see cref="TryRead"/> would not answer -EAGAIN (bytes, end of input, or unconnected).</summary>
    public bool Available
    {
        get
        {
            if (_post == null) return true;
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
        if (_post == null) return _source(buffer);
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
        if (buffer.IsEmpty || _post == null) return TryRead(buffer);
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

    // The reader thread: fill free room from the source, post an arrival, until end of input.
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
            Arrived();
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

    // Reader thread: posts one arrival interrupt unless one is already queued (it will see these bytes too).
    private void Arrived()
    {
        if (Interlocked.Exchange(ref _posted, 1) == 0) _post!(_deliver);
    }

    // CPU thread (the interrupt): runs the watchers. Clears the flag first so a later arrival posts again.
    private void Deliver()
    {
        Volatile.Write(ref _posted, 0);
        Action[] handlers;
        lock (_lock) handlers = [.. _handlers];
        foreach (var h in handlers) h();
    }
}
