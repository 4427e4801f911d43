using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

public class FaultTests
{
    private readonly Cpu _cpu = new();

    [Fact]
    public void ThrowingKernelBody_IsReportedAndRemoved_OthersKeepRunning()
    {
        var svc = _cpu.Scheduler.For(_cpu.Extension);
        var bad = svc.SpawnKernel("bad", 10, async self =>
        {
            await svc.Yield(self);
            throw new InvalidOperationException("kernel strand bug");
        });
        var good = _cpu.CpuBound("good", slices: 5);
        Assert.Equal(7, _cpu.Scheduler.RunUntilQuiet());
        Assert.Equal(StrandState.Faulted, bad.State);
        Assert.Equal("kernel strand bug", bad.Fault!.Message);
        Assert.Same(bad.Fault, Assert.Single(_cpu.Extension.Faults));
        Assert.Equal(StrandState.Exited, good.State);
        Assert.Equal(1, _cpu.Scheduler.StrandFaults);
        Assert.Equal(0, _cpu.Scheduler.LiveCount);
    }

    [Fact]
    public void ThrowingUserSlice_IsReportedAndRemoved_AndItsJoinersWake()
    {
        var svc = _cpu.Scheduler.For(_cpu.Extension);
        var bad = svc.SpawnUser("bad", 10, (self, budget) => throw new IndexOutOfRangeException("hart bug"));
        svc.SpawnKernel("joiner", 10, async self => { await svc.Join(self, bad); _cpu.Log.Add($"joined {bad.State}"); });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.IsType<IndexOutOfRangeException>(bad.Fault);
        Assert.Equal(["joined Faulted"], _cpu.Log);
    }

    [Fact]
    public void BodyThrowingBeforeItsFirstAwait_IsReported()
    {
        var svc = _cpu.Scheduler.For(_cpu.Extension);
        var s = svc.SpawnKernel("sync", 10, self => throw new ArgumentException("at once"));
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal("at once", s.Fault!.Message);
    }

    [Fact]
    public void AwaitingAHostTask_IsAFault_WithAClearMessage()
    {
        var svc = _cpu.Scheduler.For(_cpu.Extension);
        var gate = new TaskCompletionSource();
        var s = svc.SpawnKernel("foreign", 10, async self => await gate.Task);
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(StrandState.Faulted, s.State);
        Assert.Contains("awaited something other than a strand operation", s.Fault!.Message);
    }

    [Fact]
    public void UserSliceReportingBlockedWithoutWaiting_IsAFault()
    {
        var s = _cpu.Service.SpawnUser("liar", 10, (self, budget) => new(SliceOutcome.Blocked, 1));
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Contains("Blocked without waiting", s.Fault!.Message);
    }

    [Fact]
    public void UserSliceReportingMoreThanItsBudget_IsAFault()
    {
        var s = _cpu.Service.SpawnUser("greedy", 10, (self, budget) => new(SliceOutcome.Preempted, budget + 1));
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Contains($"{Cpu.Slice + 1} instructions used of a budget of {Cpu.Slice}", s.Fault!.Message);
    }

    [Fact]
    public void StrandExitingWhileOnAQueue_IsUnlinked()
    {
        var q = _cpu.Service.CreateWaitQueue("q");
        var s = _cpu.Service.SpawnUser("u", 10, (self, budget) => { q.Wait(self, 1_000); return new(SliceOutcome.Exited, 1); });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(StrandState.Exited, s.State);
        Assert.Equal(0, q.Count);
        Assert.Equal(0, _cpu.Clock.Now);   // its timer was disarmed too
    }
}
