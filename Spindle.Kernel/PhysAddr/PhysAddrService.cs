using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.PhysAddr;

namespace Spindle.Kernel.PhysAddr;

/// <summary>
/// SPIN's PhysAddr service over a <see cref="FrameAllocator"/>: frame capabilities, their states, and
/// reclamation. It becomes the allocator's pressure handler: when free frames fall to the low-water mark, or
/// run out, it raises <see cref="Reclaim"/> with the oldest active unpinned frame (FIFO) as the candidate and
/// takes the frame the handlers answer: the frame is marked Reclaimed, unmapped wherever AddMapping put it,
/// and its reference dropped. Frames of address spaces that are not capabilities (anonymous user memory)
/// are never reclaimed: there is no backing store to page them out to.
/// Thread-safe.
/// </summary>
public sealed class PhysAddrService : IPhysAddrService
{
    private readonly FrameAllocator _frames;
    private readonly LinkedList<Frame> _queue = [];     // active unpinned frames, oldest first
    private readonly Lock _lock = new();
    private static readonly KernelOwner s_self = new("physaddr");

    /// <summary>Serves frames of <paramref name="frames"/>, declaring Reclaim on <paramref name="dispatcher"/>;
    /// an allocation that leaves at most <paramref name="lowWater"/> frames free raises it.</summary>
    public PhysAddrService(FrameAllocator frames, Dispatcher.Dispatcher dispatcher, uint lowWater = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(dispatcher);
        _frames = frames;
        frames.LowWater = lowWater;
        frames.Pressure = ReclaimOne;
        Reclaim = dispatcher.Declare<ReclaimRequest, PhysFrame?>(s_self, "PhysAddr.Reclaim", static r => r.Candidate, out _,
            new EventOptions<ReclaimRequest, PhysFrame?> { Combine = static (acc, next) => next ?? acc });
    }

    /// <inheritdoc/>
    public Event<ReclaimRequest, PhysFrame?> Reclaim { get; }

    /// <inheritdoc/>
    public uint FreeFrames => _frames.FreeFrames;

    /// <inheritdoc/>
    public uint TotalFrames => _frames.Memory.FrameCount;

    /// <inheritdoc/>
    public uint LowWater => _frames.LowWater;

    /// <summary>Frames reclaimed so far.</summary>
    public long Reclaimed { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<PhysFrame>? Allocate(int pages, FrameAttributes attributes = FrameAttributes.None)
    {
        if (pages <= 0 || (uint)pages > _frames.Memory.FrameCount || (attributes & ~FrameAttributes.Pinned) != 0) return null;
        var got = new Frame[pages];
        for (int i = 0; i < pages; i++)
        {
            if (_frames.TryAllocate(out uint n)) { got[i] = new Frame(this, n, attributes); continue; }
            for (int j = 0; j < i; j++) _frames.Free(got[j].Number);
            return null;
        }
        // Queued only now, so that reclaiming during this allocation never takes one of its own frames.
        if ((attributes & FrameAttributes.Pinned) == 0)
            lock (_lock)
                foreach (var f in got) f.QueueNode = _queue.AddLast(f);
        return got;
    }

    /// <inheritdoc/>
    public void Deallocate(PhysFrame frame)
    {
        if (!Retire(frame as Frame, FrameState.Free, out var f)) return;
        _frames.Free(f.Number);
    }

    /// <inheritdoc/>
    public bool Read(PhysFrame frame, int offset, Span<byte> dest)
    {
        if (!TryBytes(frame, offset, dest.Length, out var bytes)) return false;
        bytes.CopyTo(dest);
        return true;
    }

    /// <inheritdoc/>
    public bool Write(PhysFrame frame, int offset, ReadOnlySpan<byte> src)
    {
        if (!TryBytes(frame, offset, src.Length, out var bytes)) return false;
        src.CopyTo(bytes);
        return true;
    }

    /// <summary>Translation: adds a reference on an active frame of this service for a mapping of it at
    /// <paramref name="page"/> in <paramref name="space"/>; returns its number, or false if it is not one.</summary>
    internal bool TryAttach(PhysFrame frame, AddressSpace space, ulong page, out uint number)
    {
        number = 0;
        lock (_lock)
        {
            if (frame is not Frame f || f.Service != this || f.CurrentState != FrameState.Active) return false;
            _frames.Share(f.Number);
            f.Mappings.Add((space, page));
            number = f.Number;
            return true;
        }
    }

    /// <summary>True if <paramref name="frame"/> is an active frame of this service.</summary>
    internal bool IsActive(PhysFrame frame)
    {
        lock (_lock) return frame is Frame f && f.Service == this && f.CurrentState == FrameState.Active;
    }

    // The allocator's pressure handler: reclaims one frame chosen through the Reclaim event.
    // True if a frame went back to the free list.
    private bool ReclaimOne()
    {
        Frame? candidate;
        uint free = _frames.FreeFrames;
        lock (_lock) candidate = _queue.First?.Value;
        if (candidate == null) return false;
        PhysFrame? answer = Reclaim.Raise(new ReclaimRequest(candidate, free));
        Frame victim = answer is Frame f && f.Service == this && f.QueueNode != null && IsActive(f) ? f : candidate;
        if (!Retire(victim, FrameState.Reclaimed, out _)) return false;
        Reclaimed++;
        List<(AddressSpace Space, ulong Page)> mappings;
        lock (_lock) { mappings = [.. victim.Mappings]; victim.Mappings.Clear(); }
        foreach (var (space, page) in mappings)
            if (!space.Destroyed && space.PageTable.TryGet(page, out PageTableEntry e) && e.Frame == victim.Number && !e.CopyOnWrite)
                space.Unmap(page, PhysicalMemory.PageSize);
        return _frames.Free(victim.Number);
    }

    // Moves an active frame of this service to `state` and out of the reclaim queue; false if it was not active.
    private bool Retire(Frame? frame, FrameState state, out Frame f)
    {
        f = frame!;
        lock (_lock)
        {
            if (frame == null || frame.Service != this || frame.CurrentState != FrameState.Active) return false;
            frame.CurrentState = state;
            if (frame.QueueNode != null) { _queue.Remove(frame.QueueNode); frame.QueueNode = null; }
            if (state == FrameState.Free) frame.Mappings.Clear();
            return true;
        }
    }

    // The bytes [offset, offset+length) of an active frame; false if not active or out of the page.
    private bool TryBytes(PhysFrame frame, int offset, int length, out Span<byte> bytes)
    {
        bytes = default;
        if (offset < 0 || length > PhysicalMemory.PageSize - offset || !IsActive(frame)) return false;
        bytes = _frames.Memory.Frame(((Frame)frame).Number).Slice(offset, length);
        return true;
    }
}
