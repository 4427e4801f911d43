using Spindle.Machine.Memory;

namespace Spindle.Kernel.PhysAddr;

// SKELETON: the memory/ELF helper replaces the bodies; the public surface is the contract.
/// <summary>Hands out the machine's physical frames (SPIN's PhysAddr service, first cut).</summary>
public sealed class FrameAllocator
{
    public FrameAllocator(PhysicalMemory memory) { Memory = memory; }
    public PhysicalMemory Memory { get; }
    /// <summary>Allocates one zeroed frame; returns false when memory is exhausted.</summary>
    public bool TryAllocate(out uint frame) => throw new NotImplementedException();
    /// <summary>Returns a frame. Caller owns it and no mapping refers to it any more.</summary>
    public void Free(uint frame) => throw new NotImplementedException();
    public uint FreeFrames => throw new NotImplementedException();
}
