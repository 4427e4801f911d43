namespace Spindle.Machine.Devices;

/// <summary>
/// The CPU's one host wait primitive: a device (through <see cref="InterruptLines.Raise"/>) or a stop
/// request rings it from any thread; the idle CPU sleeps on it until rung or until its next timer.
/// Ringing and waiting allocate nothing. <see cref="Ring"/> is thread-safe; <see cref="Wait"/> and
/// <see cref="Clear"/> are called on the CPU's thread.
/// </summary>
public sealed class Doorbell
{
    private readonly ManualResetEventSlim _bell = new(false, spinCount: 1);

    /// <summary>True if rung since the CPU last cleared it.</summary>
    public bool IsRung => _bell.IsSet;

    /// <summary>Any thread: wakes the CPU (an interrupt, or a stop request).</summary>
    public void Ring() => _bell.Set();

    /// <summary>
    /// CPU thread: sleeps until rung or until <paramref name="timeoutNs"/> nanoseconds pass (negative: no
    /// limit). Returns true if rung. Does not clear the bell.
    /// </summary>
    public bool Wait(long timeoutNs)
    {
        if (timeoutNs < 0) { _bell.Wait(); return true; }
        return _bell.Wait(TimeSpan.FromTicks(Math.Max(1, timeoutNs / 100)));
    }

    /// <summary>
    /// CPU thread: clears the bell. Call it before looking at what rang it (the pending interrupt
    /// lines), so that a ring after the look is not lost.
    /// </summary>
    public void Clear()
    {
        if (_bell.IsSet) _bell.Reset();
    }
}
