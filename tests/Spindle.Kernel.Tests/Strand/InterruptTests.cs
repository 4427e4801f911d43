using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Machine.Devices;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

/// <summary>
/// Interrupt lines through the scheduler: a device thread's raise wakes the idle CPU (asleep in Run on the
/// doorbell) without allocating on either side; a faulting line handler is charged and the other lines run.
/// </summary>
public sealed class InterruptTests
{
    [Fact]
    public void RaisesFromADeviceThreadWakeTheIdleKernelAndAllocateNothing()
    {
        const int Interrupts = 100_000;
        var scheduler = new Scheduler(new Spindle.Kernel.Dispatcher.Dispatcher(), new HostMachineClock());
        var service = scheduler.For(new KernelOwner("test"));
        var done = service.CreateWaitQueue("done");
        int serviced = 0;
        long cpuBefore = 0, cpuAllocated = 0, deviceAllocated = 0;
        int line = scheduler.Lines.Claim("device", () =>
        {
            int n = serviced + 1;
            if (n == 1) cpuBefore = GC.GetAllocatedBytesForCurrentThread();
            if (n == Interrupts) { cpuAllocated = GC.GetAllocatedBytesForCurrentThread() - cpuBefore; done.WakeOne(); }
            Volatile.Write(ref serviced, n);
        });
        var waiter = service.SpawnKernel("waiter", 10, async self => await done.Wait(self));   // keeps Run idling, not returning
        var device = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 1; i <= Interrupts; i++)
            {
                scheduler.Lines.Raise(line);
                var spin = new SpinWait();
                while (Volatile.Read(ref serviced) < i) spin.SpinOnce();   // one at a time: each raise wakes the CPU
            }
            deviceAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true };
        device.Start();
        var cpu = Task.Run(() => scheduler.Run());
        Assert.True(cpu.Wait(TimeSpan.FromMinutes(2)), $"serviced {Volatile.Read(ref serviced)} of {Interrupts}");
        Assert.True(device.Join(TimeSpan.FromSeconds(20)));
        Assert.Equal(Interrupts, serviced);
        Assert.Equal(StrandState.Exited, waiter.State);
        Assert.True(deviceAllocated < Interrupts, $"the raising thread allocated {deviceAllocated} bytes over {Interrupts} interrupts");
        Assert.True(cpuAllocated < Interrupts, $"the kernel's thread allocated {cpuAllocated} bytes over {Interrupts} interrupts");
    }

    [Fact]
    public void AFaultingLineHandlerIsChargedAndTheOtherLinesRun()
    {
        var cpu = new Cpu();
        int bad = cpu.Scheduler.Lines.Claim("bad", () => throw new InvalidOperationException("broken device"));
        var q = cpu.Service.CreateWaitQueue("reader");
        int good = cpu.Scheduler.Lines.Claim("good", () => q.WakeOne());
        var reader = cpu.Service.SpawnKernel("reader", 10, async self => { await q.Wait(self); cpu.Log.Add("woken"); });
        cpu.Scheduler.RunUntilQuiet();
        cpu.Scheduler.Lines.Raise(bad);
        cpu.Scheduler.Lines.Raise(good);
        cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["woken"], cpu.Log);
        Assert.Equal(StrandState.Exited, reader.State);
        Assert.Equal(0UL, cpu.Scheduler.Lines.Pending);
    }

    [Fact]
    public void TheSchedulerUsesTheMachinesLinesWhenGivenThem()
    {
        var lines = new InterruptLines();
        var scheduler = new Scheduler(new Spindle.Kernel.Dispatcher.Dispatcher(), lines: lines);
        Assert.Same(lines, scheduler.Lines);
        Assert.Same(lines.Bell, scheduler.Bell);
    }
}
