namespace Spindle.Sdk.Time;

/// <summary>The machine's clocks, in nanoseconds.</summary>
public interface IClock
{
    /// <summary>Wall-clock time since 1970-01-01 UTC.</summary>
    long RealtimeNanoseconds { get; }

    /// <summary>Time since an arbitrary fixed point; never goes back.</summary>
    long MonotonicNanoseconds { get; }
}
