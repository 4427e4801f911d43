using Spindle.Sdk;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// SPIN's null system call: takes over system call 1002 (which Linux does not have) and answers it
/// with a counter, 1 for the first call, 2 for the next... Its handler is installed on the system-call
/// event with a guard on the number, so every other call goes by untouched, and the dispatcher indexes
/// the guard, so the other calls pay nothing for it.
/// </summary>
public sealed class NullSyscall : IExtension
{
    /// <summary>The system-call number taken over.</summary>
    public const long Number = 1002;

    private long _calls;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        var traps = context.Import<ITrapEvents>();
        context.Dispatcher.Install(traps.Syscall, Answer, t => t.Number == Number);
    }

    // Answers the call with how many times it was made.
    private bool Answer(SyscallTrap trap)
    {
        trap.Strand.Result = ++_calls;
        return true;
    }
}
