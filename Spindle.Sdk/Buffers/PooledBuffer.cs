using System.Runtime.CompilerServices;

namespace Spindle.Sdk.Buffers;

// A buffer a kernel pool owns and lends out: its storage, and a generation the pool bumps on every
// free. A handle (Mbuf, BlockRequest) carries the generation it was lent under; a handle whose
// generation is not the buffer's current one refers to a buffer already returned (a stale handle).
// Contract: touched on the CPU's thread only; only the kernel's pool changes Generation and InUse.
internal abstract class PooledBuffer(int size)
{
    public readonly byte[] Storage = new byte[size];

    /// <summary>Bumped by the pool on every free; a handle lent under an older one is stale.</summary>
    public int Generation;

    /// <summary>True while lent out.</summary>
    public bool InUse;

    /// <summary>The pool that made it (a buffer goes back to its own pool only).</summary>
    public object? Pool;

    /// <summary>Throws <see cref="StaleBufferException"/> unless a handle lent under <paramref name="generation"/> is still valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Check(int generation, string what)
    {
        if (generation != Generation || !InUse) Stale(what);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Stale(string what) =>
        throw new StaleBufferException($"{what}: the buffer was already returned to its pool (used after free, or freed twice)");
}
