using System.Diagnostics;

namespace Spindle.Machine.Devices;

/// <summary>
/// An in-process Ethernet cable between two <see cref="Nic"/>s (<see cref="EndA"/> and <see cref="EndB"/>), with
/// seeded fault injection (<see cref="NetFaults"/>) in each direction. One host thread, the wire's, moves every
/// frame: it takes what either card queued for sending, decides its faults, and delivers it into the other
/// card's receive ring. A card not yet attached at the far end is an unplugged cable: its frames are lost.
/// <para>
/// Contract. Each direction has its own generator, seeded from <see cref="NetFaults.Seed"/> and the direction,
/// and draws the same number of values for every frame, so the n-th frame sent one way meets the same fate in
/// every run. Nothing is allocated per frame: held frames (delayed or reordered) wait in fixed rings, and a
/// delayed frame finding its ring full is delivered at once. <see cref="Dispose"/> stops the thread; either
/// card's Dispose does.
/// </para>
/// </summary>
public sealed class NetWire : IDisposable
{
    private const int HeldSlots = 64;
    private static readonly long ReorderIdle = Stopwatch.Frequency / 1000;   // a held frame goes after 1 ms of quiet

    private readonly End _a, _b;
    private readonly AutoResetEvent _kick = new(false);
    private readonly object _startLock = new();
    private Thread? _thread;
    private volatile bool _stop;

    /// <summary>A wire with <paramref name="faults"/> in both directions (none if null).</summary>
    public NetWire(NetFaults? faults = null)
    {
        Faults = faults ?? NetFaults.None;
        _a = new End(this, new Direction(Faults, 0));
        _b = new End(this, new Direction(Faults, 1));
        (_a.Peer, _b.Peer) = (_b, _a);
    }

    /// <summary>The faults injected.</summary>
    public NetFaults Faults { get; }

    /// <summary>One end: the backend of the first card.</summary>
    public INicBackend EndA => _a;

    /// <summary>The other end: the backend of the second card.</summary>
    public INicBackend EndB => _b;

    /// <summary>What happened to the frames sent from end A (index 0) and end B (index 1).</summary>
    public NetWireCounts Counts(int end) => (end == 0 ? _a : _b).Direction.Counts;

    /// <summary>Stops the wire's thread (idempotent).</summary>
    public void Dispose()
    {
        _stop = true;
        _kick.Set();
        Thread? t;
        lock (_startLock) t = _thread;
        if (t != null && t != Thread.CurrentThread) t.Join();
    }

    private void StartThread()
    {
        lock (_startLock)
        {
            if (_thread != null || _stop) return;
            _thread = new Thread(Run) { IsBackground = true, Name = "net wire" };
            _thread.Start();
        }
    }

    // The wire's thread: move frames both ways, release held ones when due, sleep until kicked or the next due time.
    private void Run()
    {
        while (!_stop)
        {
            long now = Stopwatch.GetTimestamp();
            long next = _a.Pump(now);
            next = Math.Min(next, _b.Pump(now));
            if (next == long.MaxValue) _kick.WaitOne();
            else _kick.WaitOne(TimeSpan.FromTicks(Math.Max(1, (next - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }
    }

    private sealed class End(NetWire wire, Direction direction) : INicBackend
    {
        public End Peer = null!;
        public readonly Direction Direction = direction;
        private Nic? _nic;

        public void Start(Nic nic)
        {
            if (Interlocked.CompareExchange(ref _nic, nic, null) != null) throw new InvalidOperationException("this wire end already has a card");
            wire.StartThread();
        }

        public void Kick() => wire._kick.Set();

        public void Dispose() => wire.Dispose();

        // Wire thread: sends what this end's card queued towards the peer; returns when a held frame is next due.
        public long Pump(long now)
        {
            var nic = Volatile.Read(ref _nic);
            var far = Volatile.Read(ref Peer._nic);
            if (nic != null)
                for (var frame = nic.PeekTransmit(); !frame.IsEmpty; frame = nic.PeekTransmit())
                {
                    Direction.Send(frame, far, Stopwatch.GetTimestamp());
                    nic.TransmitDone();
                }
            return Direction.Release(far, now);
        }
    }

    // One direction's faults, generator and held frames. Wire thread only.
    private sealed class Direction
    {
        private readonly NetFaults _faults;
        private readonly Random _random;
        private readonly byte[] _scratch = new byte[Nic.EthernetMtu + Nic.HeaderBytes];
        private readonly NetFrameRing _delayed = new(HeldSlots, Nic.EthernetMtu + Nic.HeaderBytes);
        private readonly long[] _due = new long[HeldSlots];
        private long _dueHead, _dueTail;
        private readonly byte[] _held = new byte[Nic.EthernetMtu + Nic.HeaderBytes];
        private int _heldLength = -1;
        private long _heldSince;
        public NetWireCounts Counts;

        public Direction(NetFaults faults, int index)
        {
            _faults = faults;
            _random = new Random(unchecked(faults.Seed * 31 + index));
        }

        public void Send(ReadOnlySpan<byte> frame, Nic? far, long now)
        {
            Counts.Sent++;
            // Five draws per frame whatever happens, so that every frame's fate depends only on its position.
            double loss = _random.NextDouble(), corrupt = _random.NextDouble(), delay = _random.NextDouble(),
                reorder = _random.NextDouble(), duplicate = _random.NextDouble();
            int bit = _random.Next(frame.Length * 8);
            if (loss < _faults.Loss) { Counts.Lost++; return; }
            if (corrupt < _faults.Corrupt)
            {
                frame.CopyTo(_scratch);
                _scratch[bit >> 3] ^= (byte)(1 << (bit & 7));
                frame = _scratch.AsSpan(0, frame.Length);
                Counts.Corrupted++;
            }
            if (delay < _faults.Delay && _delayed.TryPush(frame))
            {
                _due[_dueTail++ % HeldSlots] = now + _faults.DelayMilliseconds * Stopwatch.Frequency / 1000;
                Counts.Delayed++;
                return;
            }
            if (reorder < _faults.Reorder)
            {
                if (_heldLength >= 0) DeliverHeld(far);      // one frame is held at a time: the older goes first
                frame.CopyTo(_held);
                (_heldLength, _heldSince) = (frame.Length, now);
                Counts.Reordered++;
                return;
            }
            Deliver(frame, far, duplicate < _faults.Duplicate);
            if (_heldLength >= 0) DeliverHeld(far);          // the held frame goes after the one that overtook it
        }

        // Delivers delayed frames that are due and a held frame that has waited long enough; the next due time.
        public long Release(Nic? far, long now)
        {
            while (_dueHead != _dueTail && _due[_dueHead % HeldSlots] <= now)
            {
                Deliver(_delayed.Peek(), far, duplicate: false);
                _delayed.Drop();
                _dueHead++;
            }
            if (_heldLength >= 0 && now - _heldSince >= ReorderIdle) DeliverHeld(far);
            long next = _dueHead != _dueTail ? _due[_dueHead % HeldSlots] : long.MaxValue;
            return _heldLength >= 0 ? Math.Min(next, _heldSince + ReorderIdle) : next;
        }

        private void DeliverHeld(Nic? far)
        {
            Deliver(_held.AsSpan(0, _heldLength), far, duplicate: false);
            _heldLength = -1;
        }

        private void Deliver(ReadOnlySpan<byte> frame, Nic? far, bool duplicate)
        {
            if (far == null) { Counts.Unplugged++; return; }
            far.Deliver(frame);
            Counts.Delivered++;
            if (!duplicate) return;
            far.Deliver(frame);
            Counts.Duplicated++;
        }
    }
}

/// <summary>What a <see cref="NetWire"/> did with the frames sent one way (read while the wire is quiet).</summary>
public record struct NetWireCounts
{
    public long Sent, Delivered, Lost, Corrupted, Delayed, Reordered, Duplicated, Unplugged;
}
