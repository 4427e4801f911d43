using Spindle.Machine.Memory;

namespace Spindle.Kernel.PhysAddr;

/// <summary>
/// Hands out the machine's physical frames: the bottom layer of SPIN's PhysAddr service.
/// A LIFO free list over every frame of <see cref="PhysicalMemory"/>, plus a reference count per frame:
/// a frame is allocated with one reference, <see cref="Share"/> adds one (a copy-on-write page, a frame
/// capability mapped into a context), <see cref="Free"/> drops one and returns the frame at zero.
/// Freeing a frame with no reference or a stray frame number is an immediate kernel error.
/// Memory pressure (free frames at or below <see cref="LowWater"/> after an allocation, or none left)
/// calls <see cref="Pressure"/>, which the PhysAddr service uses to reclaim frames.
/// Thread-safe: address spaces on different harts may allocate concurrently.
/// </summary>
public sealed class FrameAllocator
{
    private readonly uint[] _free;          // stack of free frame numbers; _free[0.._top) are free
    private readonly int[] _refs;           // references per frame; 0 = free
    private readonly Lock _lock = new();
    private int _top;
    [ThreadStatic] private static bool t_inPressure;   // a pressure handler that allocates does not recurse

    /// <summary>Takes ownership of every frame of <paramref name="memory"/>; all start free.</summary>
    public FrameAllocator(PhysicalMemory memory)
    {
        Memory = memory;
        _free = new uint[memory.FrameCount];
        _refs = new int[memory.FrameCount];
        // Push in descending order so that low frames are handed out first (readable dumps).
        for (uint f = 0; f < memory.FrameCount; f++) _free[f] = memory.FrameCount - 1 - f;
        _top = (int)memory.FrameCount;
    }

    /// <summary>The memory whose frames this allocator owns.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>When an allocation leaves at most this many free frames, <see cref="Pressure"/> runs. 0 by default:
    /// pressure only on exhaustion.</summary>
    public uint LowWater { get; set; }

    /// <summary>
    /// Called under memory pressure, outside the allocator's lock, to free frames (the PhysAddr service's
    /// reclaimer). Returns true if it released at least one frame. Not called again while it runs on this thread.
    /// </summary>
    public Func<bool>? Pressure { get; set; }

    /// <summary>Allocates one zeroed frame with one reference; returns false when memory is exhausted
    /// and pressure could not free a frame.</summary>
    public bool TryAllocate(out uint frame)
    {
        while (!TryTake(out frame))
            if (!Relieve()) return false;
        Memory.Frame(frame).Clear();
        if (LowWater != 0 && FreeFrames <= LowWater) Relieve();
        return true;
    }

    /// <summary>Adds a reference to an allocated frame (it is now shared).
    /// Throws <see cref="InvalidOperationException"/> on a frame that is not allocated (a kernel bug).</summary>
    public void Share(uint frame)
    {
        lock (_lock)
        {
            CheckAllocated(frame, "shared");
            _refs[frame]++;
        }
    }

    /// <summary>Drops one reference; the frame returns to the free list when the last goes. Returns true if it did.
    /// Throws <see cref="InvalidOperationException"/> on a frame that is not allocated (a kernel bug).</summary>
    public bool Free(uint frame)
    {
        lock (_lock)
        {
            CheckAllocated(frame, "freed");
            if (--_refs[frame] > 0) return false;
            _free[_top++] = frame;
            return true;
        }
    }

    /// <summary>Number of frames currently free.</summary>
    public uint FreeFrames { get { lock (_lock) return (uint)_top; } }

    /// <summary>True if <paramref name="frame"/> is currently handed out.</summary>
    public bool IsAllocated(uint frame) => RefCount(frame) > 0;

    /// <summary>References held on <paramref name="frame"/>; 0 if free or not a frame.</summary>
    public int RefCount(uint frame)
    {
        if (frame >= Memory.FrameCount) return 0;
        lock (_lock) return _refs[frame];
    }

    // Pops a free frame with one reference; false if none is free.
    private bool TryTake(out uint frame)
    {
        lock (_lock)
        {
            if (_top == 0) { frame = 0; return false; }
            frame = _free[--_top];
            _refs[frame] = 1;
            return true;
        }
    }

    // Runs the pressure handler once unless it is already running on this thread; true if it freed something.
    private bool Relieve()
    {
        if (Pressure is not { } pressure || t_inPressure) return false;
        t_inPressure = true;
        try { return pressure(); }
        finally { t_inPressure = false; }
    }

    // Caller holds _lock. Throws unless frame is a valid, allocated frame.
    private void CheckAllocated(uint frame, string what)
    {
        if (frame >= Memory.FrameCount || _refs[frame] == 0)
            throw new InvalidOperationException($"frame {frame} {what} but not allocated");
    }
}
