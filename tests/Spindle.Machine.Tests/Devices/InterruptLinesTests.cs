using Spindle.Machine.Devices;

namespace Spindle.Machine.Tests.Devices;

/// <summary>
/// The interrupt controller: a raise from any thread wakes the CPU waiting on the doorbell, raises of a line
/// coalesce until drained, a faulting handler does not lose the other lines, and neither side allocates.
/// </summary>
public sealed class InterruptLinesTests
{
    private static readonly Action<int, Exception> NoFault = (line, e) => Assert.Fail($"line {line} faulted: {e}");

    [Fact]
    public void RaisesOfOneLineCoalesceIntoOneHandlerRun()
    {
        var lines = new InterruptLines();
        int runs = 0;
        int line = lines.Claim("uart", () => runs++);
        for (int i = 0; i < 5; i++) lines.Raise(line);
        Assert.Equal(1UL << line, lines.Pending);
        Assert.True(lines.Bell.IsRung);
        Assert.Equal(1, lines.Drain(NoFault));
        Assert.Equal(1, runs);
        Assert.Equal(0UL, lines.Pending);
        Assert.False(lines.Bell.IsRung);
        Assert.Equal(0, lines.Drain(NoFault));   // nothing raised since: nothing runs
        Assert.Equal(1, runs);
    }

    [Fact]
    public void DrainRunsEverySetLineLowestFirst()
    {
        var lines = new InterruptLines();
        var order = new List<string>();
        int a = lines.Claim("a", () => order.Add("a")), b = lines.Claim("b", () => order.Add("b")), c = lines.Claim("c", () => order.Add("c"));
        lines.Raise(c);
        lines.Raise(a);
        Assert.Equal(2, lines.Drain(NoFault));
        Assert.Equal(["a", "c"], order);
        Assert.Equal("b", lines.NameOf(b));
    }

    [Fact]
    public void AFaultingHandlerIsReportedAndTheOtherLinesStillRun()
    {
        var lines = new InterruptLines();
        int later = 0;
        int bad = lines.Claim("bad", () => throw new InvalidOperationException("device on fire"));
        int good = lines.Claim("good", () => later++);
        var faults = new List<(int, string)>();
        lines.Raise(bad);
        lines.Raise(good);
        Assert.Equal(2, lines.Drain((line, e) => faults.Add((line, e.Message))));
        Assert.Equal([(bad, "device on fire")], faults);
        Assert.Equal(1, later);
        lines.Raise(good);                         // the faulted drain left the controller working
        lines.Drain(NoFault);
        Assert.Equal(2, later);
    }

    [Fact]
    public void ARaiseDuringAHandlerIsServicedByTheNextDrain()
    {
        var lines = new InterruptLines();
        int runs = 0, line = -1;
        line = lines.Claim("again", () => { if (runs++ == 0) lines.Raise(line); });
        lines.Raise(line);
        lines.Drain(NoFault);
        Assert.Equal(1, runs);
        Assert.True(lines.Bell.IsRung);            // not lost: rung and pending again
        lines.Drain(NoFault);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void BadUseIsRefused()
    {
        var lines = new InterruptLines();
        Assert.Throws<ArgumentOutOfRangeException>(() => lines.Raise(0));    // nobody claimed it
        Assert.Throws<ArgumentOutOfRangeException>(() => lines.Raise(InterruptLines.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => lines.Raise(-1));
        Assert.Throws<ArgumentNullException>(() => lines.Claim("x", null!));
        Assert.Throws<ArgumentException>(() => lines.Claim(" ", () => { }));
        for (int i = 0; i < InterruptLines.Count; i++) Assert.Equal(i, lines.Claim($"l{i}", () => { }));
        var full = Assert.Throws<InvalidOperationException>(() => lines.Claim("one too many", () => { }));
        Assert.Contains("one too many", full.Message);
        Assert.Equal(0UL, lines.Pending);
    }

    [Fact]
    public void InterruptsFromAnotherThreadWakeTheIdleCpuAndAllocateNothing()
    {
        // 100,000 interrupts, each raised by a device thread while the CPU thread sleeps on the doorbell; the device
        // waits until the CPU has serviced one before raising the next, so every raise is a wake-up.
        const int Interrupts = 100_000;
        var lines = new InterruptLines();
        int serviced = 0;
        int line = lines.Claim("nic", () => Volatile.Write(ref serviced, serviced + 1));
        long cpuAllocated = 0, deviceAllocated = 0;
        var cpu = new Thread(() =>
        {
            lines.Drain(NoFault);                  // the first drain's one-time costs happen before the count
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (Volatile.Read(ref serviced) < Interrupts)
            {
                if (lines.Pending == 0) lines.Bell.Wait(-1);
                lines.Drain(NoFault);
            }
            cpuAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true };
        var device = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 1; i <= Interrupts; i++)
            {
                lines.Raise(line);
                var spin = new SpinWait();
                while (Volatile.Read(ref serviced) < i) spin.SpinOnce();
            }
            deviceAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true };
        cpu.Start();
        device.Start();
        Assert.True(device.Join(TimeSpan.FromMinutes(2)) && cpu.Join(TimeSpan.FromMinutes(1)), $"serviced {serviced} of {Interrupts}");
        Assert.Equal(Interrupts, serviced);
        // Less than a byte per interrupt on each side: any per-interrupt allocation is at least an object header.
        Assert.True(deviceAllocated < Interrupts, $"the raising thread allocated {deviceAllocated} bytes over {Interrupts} interrupts");
        Assert.True(cpuAllocated < Interrupts, $"the draining thread allocated {cpuAllocated} bytes over {Interrupts} interrupts");
    }
}
