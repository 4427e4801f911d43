using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

public class EventTests
{
    private readonly Cpu _cpu = new();

    private void Trace(IStrandService svc)
    {
        var d = _cpu.Dispatcher.For(_cpu.Extension);
        d.Install(svc.Resume, t => { _cpu.Log.Add($"resume {t.Strand.Name} {t.Strand.State}"); return true; });
        d.Install(svc.Checkpoint, t => { _cpu.Log.Add($"checkpoint {t.Strand.Name}"); return true; });
        d.Install(svc.Block, t => { _cpu.Log.Add($"block {t.Strand.Name} {t.Strand.State}"); return true; });
        d.Install(svc.Unblock, t => { _cpu.Log.Add($"unblock {t.Strand.Name} {t.Strand.State}"); return true; });
    }

    [Fact]
    public void HandlersSeeResumeCheckpointBlockUnblock_InOrder()
    {
        var svc = _cpu.Service;
        Trace(svc);
        var q = svc.CreateWaitQueue("q");
        svc.SpawnKernel("ping", 10, async self => { await q.Wait(self); });
        svc.SpawnKernel("pong", 10, async self => { q.WakeOne(); await svc.Yield(self); });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal([
            "resume ping Running", "block ping Blocked", "checkpoint ping",
            "resume pong Running", "unblock ping Ready", "checkpoint pong",
            "resume ping Running", "checkpoint ping",
            "resume pong Running", "checkpoint pong",
        ], _cpu.Log);
    }

    [Fact]
    public void GuardedHandler_SeesOnlyItsStrand()
    {
        var svc = _cpu.Service;
        var a = _cpu.CpuBound("a", slices: 3);
        var b = _cpu.CpuBound("b", slices: 3);
        int id = b.Id, resumes = 0;
        _cpu.Dispatcher.For(_cpu.Extension).Install(svc.Resume, t => { resumes++; return true; }, t => t.Id == id);
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(3, resumes);
        Assert.Equal(3, a.Slices);
    }

    [Fact]
    public void RaisingAnEventFromOutside_OnlyReachesHandlers_AndCannotChangeAStrand()
    {
        var svc = _cpu.Service;
        var s = _cpu.CpuBound("s", slices: 1);
        svc.Block.Raise(new StrandTransition(s, s.Id, s.Priority));
        Assert.Equal(StrandState.Ready, s.State);
        Assert.Equal(1, _cpu.Scheduler.RunUntilQuiet());
    }

    [Fact]
    public void FaultingUntrustedHandler_IsContained_AndSchedulingGoesOn()
    {
        var svc = _cpu.Service;
        _cpu.Dispatcher.For(_cpu.Extension).Install(svc.Checkpoint, t => throw new InvalidOperationException("boom"));
        _cpu.CpuBound("s", slices: 2);
        Assert.Equal(2, _cpu.Scheduler.RunUntilQuiet());
        Assert.Equal(2, _cpu.Extension.Faults.Count);
    }
}
