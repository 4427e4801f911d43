using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

public class SchedulingTests
{
    private readonly Cpu _cpu = new();

    [Fact]
    public void EqualPriority_TakeTurnsInCreationOrder()
    {
        _cpu.CpuBound("a", slices: 3);
        _cpu.CpuBound("b", slices: 3);
        _cpu.CpuBound("c", slices: 3);
        Assert.Equal(9, _cpu.Scheduler.RunUntilQuiet());
        Assert.Equal(["a", "b", "c", "a", "b", "c", "a", "b", "c"], _cpu.Log);
        Assert.Equal(0, _cpu.Scheduler.LiveCount);
    }

    [Fact]
    public void HigherPriorityRunsFirst_AndANewHigherStrandTakesTheNextSlice()
    {
        var svc = _cpu.Service;
        svc.SpawnUser("low", 3, (self, budget) =>
        {
            _cpu.Log.Add("low");
            if (self.Slices == 0) _cpu.CpuBound("urgent", priority: 20, slices: 2);
            return new(self.Slices == 2 ? SliceOutcome.Exited : SliceOutcome.Preempted, budget);
        });
        _cpu.CpuBound("high", priority: 7, slices: 2);
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["high", "high", "low", "urgent", "urgent", "low", "low"], _cpu.Log);
    }

    [Fact]
    public void PreemptionByBudget_EachUserSliceGetsThePolicySlice_AndIsCharged()
    {
        var budgets = new List<long>();
        var s = _cpu.Service.SpawnUser("u", 5, (self, budget) =>
        {
            budgets.Add(budget);
            return new(self.Slices == 3 ? SliceOutcome.Exited : SliceOutcome.Preempted, budget / 2);
        });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal([Cpu.Slice, Cpu.Slice, Cpu.Slice, Cpu.Slice], budgets);
        Assert.Equal(StrandState.Exited, s.State);
        Assert.Equal(4 * Cpu.Slice / 2, s.Charged);
    }

    [Fact]
    public void Fairness_EqualPriorityCpuBoundStrandsGetEqualSlices()
    {
        var strands = Enumerable.Range(0, 5).Select(i => _cpu.CpuBound($"s{i}")).ToArray();
        _cpu.Steps(1000);
        Assert.All(Cpu.SlicesOf(strands), n => Assert.Equal(200, n));
    }

    [Fact]
    public void KernelStrands_RunUntilTheyAwait_AndYieldTakesTurns()
    {
        var svc = _cpu.Service;
        KernelBody body(string name) => async self =>
        {
            for (int i = 0; i < 3; i++)
            {
                _cpu.Log.Add($"{name}{i}");
                await svc.Yield(self);
            }
        };
        var a = svc.SpawnKernel("a", 10, body("a"));
        var b = svc.SpawnKernel("b", 10, body("b"));
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2"], _cpu.Log);
        Assert.Equal(StrandState.Exited, a.State);
        Assert.Equal(4, b.Slices);   // three yields and the run that finishes it
    }

    [Fact]
    public void Join_ParentWaitsForChild_AndJoiningADoneStrandDoesNotBlock()
    {
        var svc = _cpu.Service;
        svc.SpawnKernel("parent", 10, async self =>
        {
            var child = svc.SpawnKernel("child", 10, async c =>
            {
                _cpu.Log.Add("child runs");
                await svc.Yield(c);
                _cpu.Log.Add("child ends");
            });
            await svc.Join(self, child);
            _cpu.Log.Add($"joined {child.State}");
            long slices = self.Slices;
            await svc.Join(self, child);
            _cpu.Log.Add(self.Slices == slices ? "no block" : "blocked");
        });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["child runs", "child ends", "joined Exited", "no block"], _cpu.Log);
    }

    [Fact]
    public void IdleScheduler_StepReturnsFalse()
    {
        Assert.False(_cpu.Scheduler.Step());
        Assert.Equal(0, _cpu.Scheduler.RunUntilQuiet());
    }
}
