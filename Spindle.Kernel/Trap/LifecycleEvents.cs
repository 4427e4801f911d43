using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Translation;

namespace Spindle.Kernel.Trap;

/// <summary>
/// The lifecycle events (<see cref="ILifecycleEvents"/>), declared by the kernel with no intrinsic handler:
/// the kernel raises <see cref="SpaceReleased"/> (UserMachine, when an address space's last strand lets go),
/// the personality raises <see cref="ProcessEnded"/>. Raised on the CPU's thread.
/// </summary>
public sealed class LifecycleEvents : ILifecycleEvents
{
    private static readonly KernelOwner Owner = new("lifecycle");

    /// <summary>Declares the events on <paramref name="dispatcher"/>.</summary>
    public LifecycleEvents(Dispatcher.Dispatcher dispatcher)
    {
        SpaceReleased = TrapEvents.Declare<TranslationContext>(dispatcher, Owner, "Lifecycle.SpaceReleased", static _ => false);
        ProcessEnded = TrapEvents.Declare<ProcessEnd>(dispatcher, Owner, "Lifecycle.ProcessEnded", static _ => false);
    }

    /// <inheritdoc/>
    public Event<TranslationContext, bool> SpaceReleased { get; }

    /// <inheritdoc/>
    public Event<ProcessEnd, bool> ProcessEnded { get; }
}
