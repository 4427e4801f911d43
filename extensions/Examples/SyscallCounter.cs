using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// Counts the system calls the programs make, by number, without changing any of them: its handler
/// runs for every call (no guard) and leaves the result alone. System call 1003 answers the count
/// for the number in its first argument (so a program can read the counter), or -1 for none.
/// </summary>
public sealed class SyscallCounter : IExtension
{
    /// <summary>The system call that reads a counter.</summary>
    public const long Query = 1003;

    private readonly Dictionary<long, long> _counts = new();

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        var traps = context.Import<ITrapEvents>();
        context.Dispatcher.Install(traps.Syscall, Count);
        context.Dispatcher.Install(traps.Syscall, Answer, t => t.Number == Query);
    }

    // Counts the call; does not touch its result.
    private bool Count(SyscallTrap trap)
    {
        _counts[trap.Number] = _counts.TryGetValue(trap.Number, out long n) ? n + 1 : 1;
        return false;
    }

    // Answers query(number) with the count of that number so far.
    private bool Answer(SyscallTrap trap)
    {
        trap.Strand.Result = _counts.TryGetValue((long)trap.Strand.Arg0, out long n) ? n : -1;
        return true;
    }
}
