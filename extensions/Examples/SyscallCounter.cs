using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// Counts the system calls the programs make, by number, without changing any of them: its handler
/// runs for every call (no guard) and leaves the result alone. System call 1003 answers how many
/// calls were made before it. (It takes no argument: handlers installed after the personality's see
/// a0 already overwritten with the personality's answer.)
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

    /// <summary>How many calls of <paramref name="number"/> were counted.</summary>
    public long CountOf(long number) => _counts.TryGetValue(number, out long n) ? n : 0;

    // Answers with the number of calls made before this one.
    private bool Answer(SyscallTrap trap)
    {
        long total = -1;                 // this call was counted already
        foreach (long n in _counts.Values) total += n;
        trap.Strand.Result = total;
        return true;
    }
}
