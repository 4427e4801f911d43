using System.Diagnostics;

namespace Spindle.Machine.Devices;

/// <summary>
/// An Ethernet card: a MAC address, an MTU of 1500, a bounded receive ring and a bounded transmit ring of
/// frames, and one interrupt line; the host side is an <see cref="INicBackend"/>.
/// <para>
/// Contract. The CPU's thread calls <see cref="TryTransmit"/> and <see cref="Receive"/> (the
/// <see cref="INetworkDevice"/> side). The backend's threads call <see cref="Deliver"/> (one thread) and
/// <see cref="PeekTransmit"/> and <see cref="TransmitDone"/> (one thread): a delivered frame is copied into the receive ring and the line
/// raised; a full receive ring drops the frame and counts it (<see cref="ReceiveDropped"/>), as a card
/// does when the driver falls behind. When a transmit found the ring full, the next frame the backend takes
/// raises the line (room came back). No call allocates per frame.
/// </para>
/// </summary>
public sealed class Nic : INetworkDevice, IDisposable
{
    /// <summary>Ethernet's MTU.</summary>
    public const int EthernetMtu = 1500;

    /// <summary>Bytes of an Ethernet header (destination, source, type).</summary>
    public const int HeaderBytes = 14;

    /// <summary>Frames each ring holds by default.</summary>
    public const int DefaultRingSlots = 256;

    private readonly NetFrameRing _rx, _tx;
    private readonly INicBackend _backend;
    private InterruptLines? _lines;
    private Action[] _watchers = [];
    private int _txWasFull;
    private long _rxDropped, _rxFrames, _txFrames;

    /// <summary>A card named <paramref name="name"/> with address <paramref name="mac"/>, connected to <paramref name="backend"/>.</summary>
    public Nic(string name, ulong mac, INicBackend backend, int ringSlots = DefaultRingSlots)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(backend);
        if ((mac >> 48) != 0 || (mac & (1UL << 40)) != 0) throw new ArgumentOutOfRangeException(nameof(mac), $"{mac:x}: not a 48-bit unicast address");
        Name = name;
        MacAddress = mac;
        _backend = backend;
        _rx = new NetFrameRing(ringSlots, MaxFrame);
        _tx = new NetFrameRing(ringSlots, MaxFrame);
    }

    public string Name { get; }
    public int InterruptLine { get; private set; } = -1;
    public ulong MacAddress { get; }
    public int Mtu => EthernetMtu;

    /// <summary>The longest frame the card moves: header and MTU (no frame check sequence).</summary>
    public int MaxFrame => EthernetMtu + HeaderBytes;

    /// <summary>Frames dropped because the receive ring was full (or longer than <see cref="MaxFrame"/>).</summary>
    public long ReceiveDropped => Interlocked.Read(ref _rxDropped);

    /// <summary>Frames delivered into the receive ring.</summary>
    public long ReceivedFrames => Interlocked.Read(ref _rxFrames);

    /// <summary>Frames the backend took for sending.</summary>
    public long TransmittedFrames => Interlocked.Read(ref _txFrames);

    /// <summary>Frames waiting in the receive ring now.</summary>
    public int ReceiveQueued => _rx.Count;

    public void Attach(InterruptLines lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (_lines != null) throw new InvalidOperationException($"{Name}: already attached");
        InterruptLine = lines.Claim(Name, Interrupted);
        _lines = lines;
        _backend.Start(this);
    }

    public void Watch(Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _watchers = [.. _watchers, handler];
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < HeaderBytes || frame.Length > MaxFrame)
            throw new ArgumentOutOfRangeException(nameof(frame), frame.Length, $"{Name}: a frame is {HeaderBytes}..{MaxFrame} bytes");
        if (!_tx.TryPush(frame))
        {
            Interlocked.Exchange(ref _txWasFull, 1);   // a full fence: the retry below must not read the ring before the flag is seen
            if (!_tx.TryPush(frame)) { _backend.Kick(); return false; }   // the backend may have made room meanwhile
        }
        _backend.Kick();
        return true;
    }

    public int Receive(Span<byte> frame) => _rx.Pop(frame);

    /// <summary>
    /// Backend (its receiving thread): queues a received frame and raises the line. False if the frame was
    /// dropped (the ring full, or the frame shorter than a header or longer than <see cref="MaxFrame"/>).
    /// </summary>
    public bool Deliver(ReadOnlySpan<byte> frame)
    {
        Debug.Assert(_lines != null, "the backend starts at Attach");
        if (frame.Length < HeaderBytes || !_rx.TryPush(frame)) { Interlocked.Increment(ref _rxDropped); return false; }
        Interlocked.Increment(ref _rxFrames);
        _lines!.Raise(InterruptLine);
        return true;
    }

    /// <summary>
    /// Backend (its sending thread): the oldest frame queued for sending, in place, valid until
    /// <see cref="TransmitDone"/>; empty when none is queued.
    /// </summary>
    public ReadOnlySpan<byte> PeekTransmit() => _tx.Peek();

    /// <summary>
    /// Backend (its sending thread): the frame <see cref="PeekTransmit"/> returned is sent; frees its slot and
    /// raises the line if a transmit had found the ring full.
    /// </summary>
    public void TransmitDone()
    {
        _tx.Drop();
        Interlocked.Increment(ref _txFrames);
        if (Volatile.Read(ref _txWasFull) != 0 && Interlocked.Exchange(ref _txWasFull, 0) != 0) _lines!.Raise(InterruptLine);
    }

    /// <summary>Stops the backend.</summary>
    public void Dispose() => _backend.Dispose();

    // The line's handler (CPU thread): runs the watchers.
    private void Interrupted()
    {
        foreach (var watcher in _watchers) watcher();
    }
}
