namespace Spindle.Machine.Devices;

/// <summary>
/// The shape of a backend on a host device (<see cref="NetTap"/>, <see cref="NetUdpTunnel"/>): two host threads
/// of its own, a reader that delivers what the host hands it into the card, and a writer that sends what the
/// card queued whenever it is kicked.
/// <para>
/// Contract for subclasses: <see cref="Read"/> runs on the reader thread until <see cref="Stopping"/> (it waits
/// at most a tenth of a second at a time, so that it sees the stop); <see cref="Send"/> runs on the writer
/// thread, one frame per call; <see cref="Close"/> releases the host resource after both threads have ended.
/// </para>
/// </summary>
public abstract class NetHostBackend : INicBackend
{
    private readonly AutoResetEvent _kick = new(false);
    private Thread? _reader, _writer;
    private volatile bool _stop;
    private int _disposed;
    private long _errors;

    /// <summary>A backend named <paramref name="name"/> (as the command line spells it: tap:NAME, udp:L:R).</summary>
    protected NetHostBackend(string name) => Name = name;

    /// <summary>The backend's name.</summary>
    public string Name { get; }

    /// <summary>Frames that could not be read, delivered (too long or short, the card's ring full) or sent.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>True once the backend is being disposed.</summary>
    protected bool Stopping => _stop;

    public void Start(Nic nic)
    {
        ArgumentNullException.ThrowIfNull(nic);
        if (_reader != null) throw new InvalidOperationException($"{Name}: already started");
        _reader = new Thread(() => Read(nic)) { IsBackground = true, Name = $"{Name} reader" };
        _writer = new Thread(() => Write(nic)) { IsBackground = true, Name = $"{Name} writer" };
        _reader.Start();
        _writer.Start();
    }

    public void Kick() => _kick.Set();

    /// <summary>Stops both threads and closes the host resource (idempotent).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop = true;
        _kick.Set();
        _reader?.Join();
        _writer?.Join();
        Close();
        GC.SuppressFinalize(this);
    }

    /// <summary>Reader thread: delivers what the host hands in until <see cref="Stopping"/>.</summary>
    protected abstract void Read(Nic nic);

    /// <summary>Writer thread: sends one frame to the host; false if it could not (counted).</summary>
    protected abstract bool Send(ReadOnlySpan<byte> frame);

    /// <summary>Releases the host resource (both threads have ended).</summary>
    protected abstract void Close();

    /// <summary>Counts a frame lost on the host side.</summary>
    protected void CountError() => Interlocked.Increment(ref _errors);

    // Writer thread: sends every queued frame, then sleeps until kicked.
    private void Write(Nic nic)
    {
        while (!_stop)
        {
            for (var frame = nic.PeekTransmit(); !frame.IsEmpty; frame = nic.PeekTransmit())
            {
                if (!Send(frame)) CountError();
                nic.TransmitDone();
            }
            _kick.WaitOne();
        }
    }
}
