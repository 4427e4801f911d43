using Spindle.Kernel.Translation;
using Spindle.Sdk.PhysAddr;

namespace Spindle.Kernel.PhysAddr;

/// <summary>The kernel's side of a frame capability: the frame number it holds a reference on, and where
/// the Translation service mapped it (so that reclaiming can unmap it). Guarded by its service's lock.</summary>
internal sealed class Frame : PhysFrame
{
    internal Frame(PhysAddrService service, uint number, FrameAttributes attributes)
    {
        Service = service;
        Number = number;
        Attributes = attributes;
    }

    public PhysAddrService Service { get; }
    public uint Number { get; }
    public override FrameAttributes Attributes { get; }
    public override FrameState State => CurrentState;
    internal FrameState CurrentState = FrameState.Active;

    // Its place in the service's reclaim queue (null if pinned or no longer active).
    internal LinkedListNode<Frame>? QueueNode;

    // (space, page) pairs AddMapping made; stale pairs (since unmapped or remapped) are skipped when used.
    internal readonly List<(AddressSpace Space, ulong Page)> Mappings = [];
}
