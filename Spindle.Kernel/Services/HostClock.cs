using System.Diagnostics;
using Spindle.Sdk.Time;

namespace Spindle.Kernel.Services;

/// <summary>The host's clocks.</summary>
public sealed class HostClock : IClock
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public long RealtimeNanoseconds => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public long MonotonicNanoseconds => (long)(Stopwatch.GetTimestamp() * NanosecondsPerTick);
}
