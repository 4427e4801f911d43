namespace Spindle.Sdk.Translation;

/// <summary>
/// A translation context (an address space): the capability that names it in calls to
/// <see cref="ITranslationService"/> and <see cref="VirtAddr.IVirtAddrService"/>. Only the kernel creates
/// contexts, so holding one is the right to use it.
/// </summary>
public abstract class TranslationContext
{
    internal TranslationContext() { }

    /// <summary>True once the context was destroyed; every operation on it then fails.</summary>
    public abstract bool Destroyed { get; }
}
