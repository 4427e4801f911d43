using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;
using Spindle.Sdk.Translation;
using Spindle.Sdk.VirtAddr;

namespace Spindle.Kernel.VirtAddr;

/// <summary>
/// SPIN's VirtAddr service: reservations of virtual ranges, kept per context in
/// <see cref="AddressSpace.Reservations"/>. A range never overlaps another reservation nor a page mapped
/// when it was reserved. Same threading rule as the context: one kernel strand at a time.
/// </summary>
public sealed class VirtAddrService : IVirtAddrService
{
    private const ulong PageMask = PhysicalMemory.PageMask;

    /// <inheritdoc/>
    public VirtRange? Allocate(TranslationContext context, ulong length, ulong hint = 0)
    {
        if (context is not AddressSpace space || space.Destroyed || length == 0 || length > PageTable.UserLimit) return null;
        ulong len = (length + PageMask) & ~PageMask;
        ulong at = Math.Max(hint > PageTable.UserLimit ? PageTable.UserLimit : (hint + PageMask) & ~PageMask, PhysicalMemory.PageSize);
        while (true)
        {
            at = space.Reservations.SkipReserved(at);
            if (at >= PageTable.UserLimit || len > PageTable.UserLimit - at) return null;
            ulong next = Math.Min(space.Reservations.NextStartAfter(at), PageTable.UserLimit);
            ulong found = next - at >= len ? space.FindFree(len, at, next) : 0;
            if (found != 0) return Reserve(space, found, len);
            if (next >= PageTable.UserLimit) return null;
            at = next;
        }
    }

    /// <inheritdoc/>
    public VirtRange? AllocateAt(TranslationContext context, ulong start, ulong length)
    {
        if (context is not AddressSpace space || space.Destroyed || length == 0 || (start & PageMask) != 0) return null;
        if (start >= PageTable.UserLimit || length > PageTable.UserLimit - start) return null;
        ulong len = (length + PageMask) & ~PageMask;
        if (!space.Reservations.IsFree(start, start + len) || space.FindFree(len, start, start + len) != start) return null;
        return Reserve(space, start, len);
    }

    /// <inheritdoc/>
    public bool Deallocate(VirtRange range)
    {
        if (range is not { Allocated: true, Context: AddressSpace space } || !space.Reservations.Remove(range)) return false;
        range.Allocated = false;
        return true;
    }

    /// <inheritdoc/>
    public VirtRange? Find(TranslationContext context, ulong va) =>
        context is AddressSpace { Destroyed: false } space ? space.Reservations.Find(va) : null;

    private static VirtRange Reserve(AddressSpace space, ulong start, ulong length)
    {
        var range = new VirtRange(space, start, length);
        space.Reservations.Add(range);
        return range;
    }
}
