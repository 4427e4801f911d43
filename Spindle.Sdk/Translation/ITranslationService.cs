using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Memory;
using Spindle.Sdk.PhysAddr;

namespace Spindle.Sdk.Translation;

/// <summary>
/// SPIN's Translation service: contexts, the mappings from virtual pages to physical frames in them,
/// and the events raised when a user access faults. Virtual addresses given here must be page-aligned
/// and lengths are rounded up to whole pages. Bad input (an unaligned or non-user range, a destroyed
/// context, a frame that is not active) is reported by a false result, never an exception.
/// </summary>
/// <remarks>
/// Which fault event a page fault raises: an address above the user limit, or unmapped outside every
/// range reserved through <see cref="VirtAddr.IVirtAddrService"/>, raises <see cref="BadAddress"/>; an
/// unmapped address inside a reserved range raises <see cref="PageNotPresent"/>; a mapped page lacking the
/// right raises <see cref="ProtectionFault"/>. A handler that fixes the translation returns
/// <see cref="FaultResult.Resolved"/>; the raise is resolved if any handler resolved it. The kernel's intrinsic
/// ProtectionFault handler breaks copy-on-write sharing; the others resolve nothing.
/// </remarks>
public interface ITranslationService
{
    /// <summary>Creates an empty context.</summary>
    TranslationContext Create();

    /// <summary>Removes every mapping and reservation of <paramref name="context"/> and destroys it. Idempotent.</summary>
    void Destroy(TranslationContext context);

    /// <summary>Maps frames.Count pages from <paramref name="va"/>, page i to frames[i], replacing existing mappings.
    /// The frames are shared, not copied: writes through the mapping reach the frame. False if a frame is not active or the range is invalid; nothing changes then.</summary>
    bool AddMapping(TranslationContext context, ulong va, IReadOnlyList<PhysFrame> frames, Protection protection);

    /// <summary>Maps fresh zeroed pages over [va, va+length) (anonymous memory). False if out of memory or the range is invalid.</summary>
    bool AddAnonymousMapping(TranslationContext context, ulong va, ulong length, Protection protection);

    /// <summary>Maps private pages over [va, va+length) filled from <paramref name="contents"/> (the rest zero): a private
    /// file mapping whose bytes the caller read. Writes stay private. False if out of memory or the range is invalid.</summary>
    bool AddPrivateMapping(TranslationContext context, ulong va, ulong length, ReadOnlySpan<byte> contents, Protection protection);

    /// <summary>Removes the mappings of [va, va+length); pages that are not mapped are skipped. False if the range is invalid.</summary>
    bool RemoveMapping(TranslationContext context, ulong va, ulong length);

    /// <summary>Reports the rights and referenced/dirty bits of the page holding <paramref name="va"/>, and clears the
    /// bits asked for afterwards. False if the page is not mapped.</summary>
    bool ExamineMapping(TranslationContext context, ulong va, out MappingInfo info, bool clearReferenced = false, bool clearDirty = false);

    /// <summary>Changes the rights of [va, va+length). False (nothing changed) if any page is unmapped or the range is invalid.</summary>
    bool ChangeProtection(TranslationContext context, ulong va, ulong length, Protection protection);

    /// <summary>madvise(MADV_DONTNEED) on anonymous memory: every mapped page of [va, va+length) reads as zeros again,
    /// with its rights kept. False if out of memory or the range is invalid.</summary>
    bool Discard(TranslationContext context, ulong va, ulong length);

    /// <summary>fork: a new context sharing every page of <paramref name="parent"/> copy-on-write. The first write to a
    /// shared page, by the user or by the kernel on its behalf, gives the writer a private copy. Null if the parent is destroyed.</summary>
    TranslationContext? ForkCopyOnWrite(TranslationContext parent);

    /// <summary>Raised for an access to an unmapped page inside a reserved virtual range.</summary>
    Event<PageFault, FaultResult> PageNotPresent { get; }

    /// <summary>Raised for an access to an address outside every mapping and reservation, or above the user limit.</summary>
    Event<PageFault, FaultResult> BadAddress { get; }

    /// <summary>Raised for an access to a mapped page that lacks the right (including a write to a copy-on-write page).</summary>
    Event<PageFault, FaultResult> ProtectionFault { get; }
}
