using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Memory;
using Spindle.Sdk.PhysAddr;
using Spindle.Sdk.Translation;

namespace Spindle.Kernel.Extensions;

/// <summary>
/// The Translation service as one extension domain sees it: the kernel's service restricted to the contexts the
/// domain was granted. Those are the context of the program that loaded it (spindle_ext_load), the contexts it
/// created itself, and the copy-on-write children of granted contexts. A call naming any other context fails as
/// the service fails for a destroyed one (false, null, nothing changed). Only contexts the domain created may be
/// destroyed through it. The fault events are the kernel's own (see <see cref="ExtensionManager"/> on guarding).
/// Called on the kernel's strand thread; the lock only keeps the grant set consistent.
/// </summary>
internal sealed class DomainTranslationService(ITranslationService inner, TranslationContext? program) : ITranslationService
{
    private readonly HashSet<TranslationContext> _created = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<TranslationContext> _children = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

    /// <summary>The program that loaded the domain, if any: the only context whose faults its handlers see.</summary>
    internal TranslationContext? Program => program;

    // True if the domain may act on `context`.
    private bool Granted(TranslationContext? context)
    {
        if (context is null) return false;
        if (ReferenceEquals(context, program)) return true;
        lock (_lock) return _created.Contains(context) || _children.Contains(context);
    }

    /// <inheritdoc/>
    public TranslationContext Create()
    {
        var context = inner.Create();
        lock (_lock) _created.Add(context);
        return context;
    }

    /// <inheritdoc/>
    public void Destroy(TranslationContext context)
    {
        bool mine;
        lock (_lock) mine = context is not null && (_created.Remove(context) || _children.Remove(context));
        if (mine) inner.Destroy(context!);
    }

    /// <inheritdoc/>
    public bool AddMapping(TranslationContext context, ulong va, IReadOnlyList<PhysFrame> frames, Protection protection) =>
        Granted(context) && inner.AddMapping(context, va, frames, protection);

    /// <inheritdoc/>
    public bool AddAnonymousMapping(TranslationContext context, ulong va, ulong length, Protection protection) =>
        Granted(context) && inner.AddAnonymousMapping(context, va, length, protection);

    /// <inheritdoc/>
    public bool AddPrivateMapping(TranslationContext context, ulong va, ulong length, ReadOnlySpan<byte> contents, Protection protection) =>
        Granted(context) && inner.AddPrivateMapping(context, va, length, contents, protection);

    /// <inheritdoc/>
    public bool RemoveMapping(TranslationContext context, ulong va, ulong length) =>
        Granted(context) && inner.RemoveMapping(context, va, length);

    /// <inheritdoc/>
    public bool ExamineMapping(TranslationContext context, ulong va, out MappingInfo info, bool clearReferenced = false, bool clearDirty = false)
    {
        info = default;
        return Granted(context) && inner.ExamineMapping(context, va, out info, clearReferenced, clearDirty);
    }

    /// <inheritdoc/>
    public bool ChangeProtection(TranslationContext context, ulong va, ulong length, Protection protection) =>
        Granted(context) && inner.ChangeProtection(context, va, length, protection);

    /// <inheritdoc/>
    public bool Discard(TranslationContext context, ulong va, ulong length) =>
        Granted(context) && inner.Discard(context, va, length);

    /// <inheritdoc/>
    public TranslationContext? ForkCopyOnWrite(TranslationContext parent)
    {
        if (!Granted(parent) || inner.ForkCopyOnWrite(parent) is not { } child) return null;
        lock (_lock) _children.Add(child);
        return child;
    }

    /// <inheritdoc/>
    public Event<PageFault, FaultResult> PageNotPresent => inner.PageNotPresent;

    /// <inheritdoc/>
    public Event<PageFault, FaultResult> BadAddress => inner.BadAddress;

    /// <inheritdoc/>
    public Event<PageFault, FaultResult> ProtectionFault => inner.ProtectionFault;
}
