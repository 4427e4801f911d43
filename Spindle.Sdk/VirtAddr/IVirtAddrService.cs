using Spindle.Sdk.Translation;

namespace Spindle.Sdk.VirtAddr;

/// <summary>A reserved range of virtual addresses in one context: the capability to deallocate it.
/// Only the kernel creates ranges.</summary>
public sealed class VirtRange
{
    internal VirtRange(TranslationContext context, ulong start, ulong length)
    {
        Context = context;
        Start = start;
        Length = length;
    }

    /// <summary>The context the range is reserved in.</summary>
    public TranslationContext Context { get; }

    /// <summary>First address (page-aligned).</summary>
    public ulong Start { get; }

    /// <summary>Length in bytes (whole pages).</summary>
    public ulong Length { get; }

    /// <summary>First address after the range.</summary>
    public ulong End => Start + Length;

    /// <summary>True until <see cref="IVirtAddrService.Deallocate"/> releases it (or its context is destroyed).</summary>
    public bool Allocated { get; internal set; } = true;
}

/// <summary>
/// SPIN's VirtAddr service: reserves and releases ranges of virtual addresses in a context. A reservation
/// maps nothing; a fault on an unmapped page inside it raises Translation's PageNotPresent event (outside,
/// BadAddress). Reserved ranges never overlap one another or pages mapped when they were reserved.
/// </summary>
public interface IVirtAddrService
{
    /// <summary>Reserves length bytes (rounded up to pages) at the lowest free address at or above <paramref name="hint"/>;
    /// null if there is no room, the length is 0 or the context is destroyed.</summary>
    VirtRange? Allocate(TranslationContext context, ulong length, ulong hint = 0);

    /// <summary>Reserves exactly [start, start+length); null if start is unaligned, the range is not user space,
    /// or any part of it is reserved or mapped.</summary>
    VirtRange? AllocateAt(TranslationContext context, ulong start, ulong length);

    /// <summary>Releases a range (its mappings stay until removed through Translation). False if it was already released.</summary>
    bool Deallocate(VirtRange range);

    /// <summary>The reserved range holding <paramref name="va"/>, or null.</summary>
    VirtRange? Find(TranslationContext context, ulong va);
}
