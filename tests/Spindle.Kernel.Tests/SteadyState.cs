namespace Spindle.Kernel.Tests;

/// <summary>
/// Measures what a steady-state path allocates on the calling thread. A per-operation allocation shows in every
/// window; a one-off event of the runtime (a method tiered up or patched on a loaded machine) shows in one only.
/// So the answer is the least any of up to <c>attempts</c> windows allocated: zero means the path itself allocates
/// nothing, and a path that does allocate can never pass.
/// </summary>
internal static class SteadyState
{
    /// <summary>Runs <paramref name="window"/> until one run allocates nothing, at most <paramref name="attempts"/> times; returns the least allocated.</summary>
    public static long Allocated(Action window, int attempts = 3)
    {
        long least = long.MaxValue;
        for (int i = 0; i < attempts && least != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            window();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
