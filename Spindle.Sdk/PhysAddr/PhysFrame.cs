namespace Spindle.Sdk.PhysAddr;

/// <summary>What may be asked of a frame at allocation.</summary>
[Flags]
public enum FrameAttributes : byte
{
    /// <summary>An ordinary frame: a candidate for reclamation under memory pressure.</summary>
    None = 0,
    /// <summary>Never chosen to be reclaimed.</summary>
    Pinned = 1,
}

/// <summary>The life of a frame capability.</summary>
public enum FrameState : byte
{
    /// <summary>Deallocated by its holder; the capability is dead.</summary>
    Free,
    /// <summary>Allocated and holding its contents.</summary>
    Active,
    /// <summary>Taken back by the kernel under memory pressure: its contents are gone, its mappings removed.</summary>
    Reclaimed,
}

/// <summary>
/// One physical page frame, as a capability: an unforgeable reference handed out by
/// <see cref="IPhysAddrService.Allocate"/>. Only the kernel creates frames.
/// </summary>
public abstract class PhysFrame
{
    internal PhysFrame() { }

    /// <summary>Where the frame is in its life.</summary>
    public abstract FrameState State { get; }

    /// <summary>The attributes it was allocated with.</summary>
    public abstract FrameAttributes Attributes { get; }
}

/// <summary>The argument of the Reclaim event: the frame the kernel would take, and how scarce frames are.</summary>
/// <param name="Candidate">The kernel's choice: the oldest active frame that is not pinned.</param>
/// <param name="FreeFrames">Frames free when the event was raised.</param>
public readonly record struct ReclaimRequest(PhysFrame Candidate, uint FreeFrames);
