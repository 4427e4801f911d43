using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Time;

namespace Spindle.Kernel.Tests.Time;

/// <summary>The kernel's alarms for extensions: one firing per deadline reached, an earlier deadline replacing a later one, none after Cancel.</summary>
public sealed class AlarmTests
{
    [Fact]
    public void AnAlarmFiresOncePerDeadlineTheEarliestSetWinsAndCancelStopsIt()
    {
        var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 16UL << 20));
        try
        {
            var alarm = new Alarm(kernel.Scheduler, KernelOwner.Core, kernel.Dispatcher.For(KernelOwner.Core), "test");
            var fired = new List<long>();
            kernel.Dispatcher.For(new KernelOwner("test")).Install(alarm.Fired, now => { fired.Add(now); return true; });
            var clock = kernel.Scheduler.Clock;

            long deadline = clock.Now + 2_000_000;
            alarm.Set(deadline);
            kernel.Scheduler.RunUntilQuiet();                  // idles to the deadline; returns once no timer is armed
            Assert.Single(fired);
            Assert.True(fired[0] >= deadline);
            Assert.Equal(-1, alarm.Deadline);

            alarm.Set(clock.Now + 3_600_000_000_000);          // an hour away, then sooner: the sooner one replaces it
            deadline = clock.Now + 2_000_000;
            alarm.Set(deadline);
            kernel.Scheduler.RunUntilQuiet();
            Assert.Equal(2, fired.Count);
            Assert.True(fired[1] >= deadline);

            alarm.Set(clock.Now + 2_000_000);
            alarm.Cancel();
            kernel.Scheduler.RunUntilQuiet();
            Assert.Equal(2, fired.Count);
            alarm.Dispose();
            kernel.Scheduler.RunUntilQuiet();
            alarm.Set(clock.Now);
            kernel.Scheduler.RunUntilQuiet();
            Assert.Equal(2, fired.Count);                       // its strand ended: nothing fires after Dispose
        }
        finally { kernel.Dispose(); }
    }
}
