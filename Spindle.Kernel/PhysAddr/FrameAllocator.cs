using Spindle.Machine.Memory;

namespace Spindle.Kernel.PhysAddr;

/// <summary>
/// Hands out the machine's physical frames (SPIN's PhysAddr service, first cut).
/// A LIFO free list over every frame of <see cref="PhysicalMemory"/>, plus an ownership bitmap
/// that turns a double free or a stray frame number into an immediate kernel error.
/// Thread-safe: address spaces on different harts may allocate concurrently.
/// </summary>
public sealed class FrameAllocator
{
    private readonly uint[] _free;          // stack of free frame numbers; _free[0.._top) are free
    private readonly ulong[] _allocated;    // bit set = frame handed out
    private readonly Lock _lock = new();
    private int _top;

    /// <summary>Takes ownership of every frame of <paramref name="memory"/>; all start free.</summary>
    public FrameAllocator(PhysicalMemory memory)
    {
        Memory = memory;
        _free = new uint[memory.FrameCount];
        _allocated = new ulong[(memory.FrameCount + 63) / 64];
        // Push in descending order so that low frames are handed out first (readable dumps).
        for (uint f = 0; f < memory.FrameCount; f++) _free[f] = memory.FrameCount - 1 - f;
        _top = (int)memory.FrameCount;
    }

    /// <summary>The memory whose frames this allocator owns.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>Allocates one zeroed frame; returns false when memory is exhausted.</summary>
    public bool TryAllocate(out uint frame)
    {
        lock (_lock)
        {
            if (_top == 0) { frame = 0; return false; }
            frame = _free[--_top];
            _allocated[frame >> 6] |= 1UL << (int)(frame & 63);
        }
        Memory.Frame(frame).Clear();
        return true;
    }

    /// <summary>Returns a frame. Caller owns it and no mapping refers to it any more.
    /// Throws <see cref="InvalidOperationException"/> on a frame that is not allocated (a kernel bug).</summary>
    public void Free(uint frame)
    {
        lock (_lock)
        {
            if (frame >= Memory.FrameCount || (_allocated[frame >> 6] & (1UL << (int)(frame & 63))) == 0)
                throw new InvalidOperationException($"frame {frame} freed but not allocated");
            _allocated[frame >> 6] &= ~(1UL << (int)(frame & 63));
            _free[_top++] = frame;
        }
    }

    /// <summary>Number of frames currently free.</summary>
    public uint FreeFrames { get { lock (_lock) return (uint)_top; } }

    /// <summary>True if <paramref name="frame"/> is currently handed out.</summary>
    public bool IsAllocated(uint frame)
    {
        if (frame >= Memory.FrameCount) return false;
        lock (_lock) return (_allocated[frame >> 6] & (1UL << (int)(frame & 63))) != 0;
    }
}
