using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.PhysAddr;

/// <summary>
/// SPIN's PhysAddr service: physical frames as capabilities. A frame is Active from allocation until its
/// holder deallocates it (Free) or the kernel reclaims it under memory pressure (Reclaimed). Mapping a frame
/// into a context (<see cref="Translation.ITranslationService.AddMapping"/>) shares it: the memory is returned
/// only when the capability and every mapping have let go.
/// </summary>
public interface IPhysAddrService
{
    /// <summary>Allocates <paramref name="pages"/> zeroed frames; null if pages is not positive or memory
    /// stays short after reclaiming (nothing is allocated then).</summary>
    IReadOnlyList<PhysFrame>? Allocate(int pages, FrameAttributes attributes = FrameAttributes.None);

    /// <summary>Releases the holder's reference. Idempotent; a reclaimed frame stays Reclaimed.</summary>
    void Deallocate(PhysFrame frame);

    /// <summary>Copies bytes of an active frame from <paramref name="offset"/> into <paramref name="dest"/>; false if the frame
    /// is not active or the bytes lie outside the page.</summary>
    bool Read(PhysFrame frame, int offset, Span<byte> dest);

    /// <summary>Copies <paramref name="src"/> into an active frame at <paramref name="offset"/>; false as for Read.</summary>
    bool Write(PhysFrame frame, int offset, ReadOnlySpan<byte> src);

    /// <summary>Frames currently free in the machine.</summary>
    uint FreeFrames { get; }

    /// <summary>Every frame of the machine's memory, free or not (what /proc/meminfo calls MemTotal).</summary>
    uint TotalFrames { get; }

    /// <summary>Below (or at) this many free frames an allocation raises <see cref="Reclaim"/>.</summary>
    uint LowWater { get; }

    /// <summary>
    /// Raised under memory pressure with the kernel's candidate. The result is the frame to take: the last handler's
    /// non-null answer (the intrinsic handler answers the candidate). An answer that is not an active, unpinned frame
    /// of this service is ignored in favour of the candidate.
    /// </summary>
    Event<ReclaimRequest, PhysFrame?> Reclaim { get; }
}
