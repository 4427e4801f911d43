using Spindle.Kernel.Strand;
using Spindle.Sdk.Strand;
using Spindle.Machine.Devices;

namespace Spindle.Kernel.Tests.Strand;

public class BadInputTests
{
    private readonly Cpu _cpu = new();

    [Theory]
    [InlineData(-1)]
    [InlineData(32)]
    public void PriorityOutOfRange_IsRefused(int priority)
    {
        var e = Assert.Throws<StrandException>(() => _cpu.CpuBound("p", priority));
        Assert.Contains($"priority {priority} is outside 0..31", e.Message);
    }

    [Fact]
    public void MissingNameOrBody_IsRefused()
    {
        Assert.Throws<StrandException>(() => _cpu.Service.SpawnKernel(" ", 1, self => Task.CompletedTask));
        Assert.Contains("body is null", Assert.Throws<StrandException>(() => _cpu.Service.SpawnKernel("k", 1, null!)).Message);
        Assert.Contains("slice callback is null", Assert.Throws<StrandException>(() => _cpu.Service.SpawnUser("u", 1, null!)).Message);
        Assert.Throws<StrandException>(() => _cpu.Service.CreateWaitQueue(""));
    }

    [Fact]
    public void OperationsOnAStrandThatIsNotRunning_AreRefused()
    {
        var svc = _cpu.Service;
        var s = _cpu.CpuBound("idle");
        Assert.Contains("is not the running strand", Assert.Throws<StrandException>(() => svc.Yield(s)).Message);
        Assert.Throws<StrandException>(() => svc.Sleep(s, 1));
        Assert.Throws<StrandException>(() => svc.CreateWaitQueue("q").Wait(s));
        Assert.Equal(StrandState.Ready, s.State);
    }

    [Fact]
    public void StrandOfAnotherScheduler_NegativeSleep_AndSelfJoin_AreRefused()
    {
        var other = new Cpu().CpuBound("foreign");
        Exception? seen = null;
        _cpu.Service.SpawnKernel("k", 1, async self =>
        {
            try { await _cpu.Service.Join(self, other); }
            catch (StrandException e) { seen = e; }
            Assert.Throws<StrandException>(() => _cpu.Service.Sleep(self, -5));
            Assert.Throws<StrandException>(() => _cpu.Service.Join(self, self));
        });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Contains("is not a strand of this scheduler", seen!.Message);
        Assert.Equal(0, _cpu.Scheduler.StrandFaults);
    }

    [Fact]
    public void CallsOffTheCpuThread_AreRefused()
    {
        _cpu.CpuBound("s", slices: 1);
        _cpu.Scheduler.Step();
        Exception? seen = null;
        var t = new Thread(() => seen = Record.Exception(() => _cpu.CpuBound("late")));
        t.Start();
        t.Join();
        Assert.Contains("off the CPU's thread", Assert.IsType<StrandException>(seen).Message);
    }

    [Fact]
    public void BadSchedulerArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new Scheduler(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scheduler(new(), slice: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualClock().Advance(-1));
    }
}
