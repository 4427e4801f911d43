using System.Runtime.CompilerServices;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Bench.Suites;

/// <summary>A system-call trap argument, as the kernel raises it.</summary>
public readonly record struct TrapArg(long Number, long A0);

/// <summary>
/// Events shaped like the system-call trap, for measuring dispatch: used by <c>spindle bench dispatcher</c>
/// and by the BenchmarkDotNet deep dive (bench/Spindle.Bench/Dispatcher).
/// </summary>
public static class DispatchFixtures
{
    /// <summary>Number of keyed handlers (and index buckets) the raise loops spread their call numbers over.</summary>
    public const long KeySpread = 1000;

    /// <summary>
    /// The call number after <paramref name="key"/> in the benchmark loops' walk 500, 537, 574, ... (mod 1000),
    /// which visits every bucket of a 1,000-key index. An add and a compare instead of a modulo, and shared by
    /// the direct-call baseline and the raise loops so that both do the same work besides the call itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long NextKey(long key) => key + 37 < KeySpread ? key + 37 : key + 37 - KeySpread;

    /// <summary>An event on <paramref name="d"/> with its intrinsic plus <paramref name="n"/> unguarded handlers of <paramref name="owner"/>.</summary>
    public static Event<TrapArg, long> WithHandlers(Dispatcher d, IHandlerOwner owner, int n)
    {
        var ev = d.Declare<TrapArg, long>(owner, "Syscall", a => a.A0 + 1, out _);
        for (int i = 0; i < n; i++)
        {
            long k = i;
            d.Install(owner, ev, a => a.A0 + k);
        }
        return ev;
    }

    /// <summary>An event with its intrinsic plus <paramref name="n"/> handlers guarded on Number == k, k = 0..n-1 (indexed).</summary>
    public static Event<TrapArg, long> WithKeyedHandlers(Dispatcher d, IHandlerOwner owner, int n)
    {
        var ev = d.Declare<TrapArg, long>(owner, "Syscall", a => a.A0 + 1, out _);
        for (long k = 0; k < n; k++)
        {
            long number = k;
            d.Install(owner, ev, a => a.A0 + number, a => a.Number == number);
        }
        return ev;
    }
}
