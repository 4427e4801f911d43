using Spindle.Sdk.Memory;

namespace Spindle.Sdk.Translation;

/// <summary>How the faulting instruction touched memory.</summary>
public enum FaultAccess : byte { Read, Write, Execute }

/// <summary>What the handlers of a fault event decided.</summary>
public enum FaultResult : byte
{
    /// <summary>Nobody fixed the fault: it goes on to the trap events' fault event with the address (Linux delivers SIGSEGV).</summary>
    Unresolved,
    /// <summary>A handler fixed the translation: the faulting instruction runs again.</summary>
    Resolved,
}

/// <summary>The argument of the fault events: where, how, and in which context a user access faulted.
/// Guards may test any field (e.g. <c>f =&gt; f.Access == FaultAccess.Write</c>).</summary>
/// <param name="Context">The faulting strand's translation context.</param>
/// <param name="Address">The faulting virtual address.</param>
/// <param name="Access">The kind of access.</param>
/// <param name="Pc">The faulting instruction.</param>
public readonly record struct PageFault(TranslationContext Context, ulong Address, FaultAccess Access, ulong Pc);

/// <summary>What <see cref="ITranslationService.ExamineMapping"/> reports about one page.</summary>
/// <param name="Protection">The rights granted on the page (a write deferred by copy-on-write counts as granted).</param>
/// <param name="Referenced">The page was accessed since the bit was last cleared.</param>
/// <param name="Dirty">The page was written since the bit was last cleared.</param>
/// <param name="CopyOnWrite">The page's frame is shared copy-on-write.</param>
public readonly record struct MappingInfo(Protection Protection, bool Referenced, bool Dirty, bool CopyOnWrite);
