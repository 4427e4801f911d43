using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Translation;

namespace Spindle.Sdk.Trap;

/// <summary>The argument of <see cref="ILifecycleEvents.ProcessEnded"/>: a process its personality has ended.</summary>
/// <param name="Pid">The process id the personality gave it.</param>
/// <param name="Context">The address space its last thread ran in (guardable by reference), or null if it had none.</param>
/// <param name="ExitStatus">How it ended as a shell reports it (the personality's convention).</param>
public readonly record struct ProcessEnd(int Pid, TranslationContext? Context, int ExitStatus);

/// <summary>
/// The lifecycle of programs, so that whatever an extension keeps per process or per address space (loaded
/// extensions, package threads, port tables) ends with it instead of being inferred from other events. Both are
/// notifications: every handler runs, and results are ignored.
/// </summary>
public interface ILifecycleEvents
{
    /// <summary>
    /// Raised by the kernel, once per address space, when the last strand using it lets go of it (the last one
    /// retired, or it ran execve); its frames are freed after the handlers return. The context is already
    /// unusable for user strands; handlers drop what they keep for it.
    /// </summary>
    Event<TranslationContext, bool> SpaceReleased { get; }

    /// <summary>
    /// Raised by the personality, once per process, when it ends the process (its last thread ended: exit,
    /// exit_group or a fatal signal). Strands the personality does not count as the process's threads (an
    /// extension's package threads) may still run in <see cref="ProcessEnd.Context"/>: their owner ends them here.
    /// </summary>
    Event<ProcessEnd, bool> ProcessEnded { get; }
}
