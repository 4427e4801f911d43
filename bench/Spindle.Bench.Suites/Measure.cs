using System.Diagnostics;

namespace Spindle.Bench.Suites;

/// <summary>How long and how often to measure: <see cref="Quick"/> for --quick, <see cref="Steady"/> otherwise.</summary>
public sealed record BenchSettings(TimeSpan RunTime, int Repetitions, int GuestScale)
{
    /// <summary>Short runs: all four suites in well under five minutes on a 2-core machine.</summary>
    public static readonly BenchSettings Quick = new(TimeSpan.FromMilliseconds(20), 5, 1);

    /// <summary>Longer, steadier runs.</summary>
    public static readonly BenchSettings Steady = new(TimeSpan.FromMilliseconds(250), 15, 5);
}

/// <summary>The in-process Stopwatch loop: warm up, calibrate a batch size, take the median of repetitions.</summary>
public static class Measure
{
    private static long s_sink;

    /// <summary>
    /// Microseconds per operation of <paramref name="batch"/>, which runs n operations and returns a checksum
    /// (kept, so the JIT cannot drop the work). One operation runs first, alone and untimed (a first call may
    /// compile: an event's dispatch code, say); then the batch size doubles until one batch lasts the settings'
    /// run time (this also tiers up the code); then the median of the repetitions is returned.
    /// </summary>
    public static double MicrosPerOp(Func<int, long> batch, BenchSettings settings)
    {
        s_sink ^= batch(1);
        double runTimeUs = settings.RunTime.TotalMicroseconds;
        int n = 1;
        while (n < 1 << 28 && BatchMicros(batch, n) < runTimeUs) n *= 2;
        var samples = new double[settings.Repetitions];
        for (int i = 0; i < samples.Length; i++) samples[i] = BatchMicros(batch, n) / n;
        return Median(samples);
    }

    // Microseconds one batch of n takes, at the full resolution of the timestamp (a TimeSpan rounds to 100 ns).
    private static double BatchMicros(Func<int, long> batch, int n)
    {
        long t = Stopwatch.GetTimestamp();
        s_sink ^= batch(n);
        return (Stopwatch.GetTimestamp() - t) * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>The median of a non-empty list of samples.</summary>
    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var s = samples.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
