using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

public class WaitTests
{
    private const long Ms = 1_000_000;
    private readonly Cpu _cpu = new();

    [Fact]
    public void BlockUnblock_ConsumerWaitsUntilProducerWakesIt()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("items");
        int items = 0;
        var consumer = svc.SpawnKernel("consumer", 10, async self =>
        {
            for (int got = 0; got < 3; got++)
            {
                while (items == 0) { _cpu.Log.Add("wait"); await q.Wait(self); }
                items--;
                _cpu.Log.Add("take");
            }
        });
        svc.SpawnKernel("producer", 10, async self =>
        {
            for (int i = 0; i < 3; i++)
            {
                items++;
                _cpu.Log.Add($"put woke={q.WakeOne()}");
                await svc.Yield(self);
            }
        });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["wait", "put woke=True", "take", "wait", "put woke=True", "take", "wait", "put woke=True", "take"], _cpu.Log);
        Assert.Equal(StrandState.Exited, consumer.State);
        Assert.False(q.WakeOne());
    }

    [Fact]
    public void WakeAll_WakesEveryWaiterOldestFirst()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("gate");
        foreach (var name in new[] { "x", "y", "z" })
            svc.SpawnKernel(name, 10, async self => { await q.Wait(self); _cpu.Log.Add(name); });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(3, q.Count);
        Assert.Empty(_cpu.Log);
        Assert.Equal(3, q.WakeAll());
        Assert.Equal(0, q.Count);
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["x", "y", "z"], _cpu.Log);
    }

    [Fact]
    public void UserStrand_BlocksFromItsSlice_AndResumesWhenWoken()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("futex");
        var user = svc.SpawnUser("user", 10, (self, budget) =>
        {
            _cpu.Log.Add($"slice {self.Slices}");
            if (self.Slices == 0) { q.Wait(self); return new(SliceOutcome.Blocked, 10); }
            return new(SliceOutcome.Exited, 10);
        });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(StrandState.Blocked, user.State);
        _cpu.Scheduler.Lines.Raise(_cpu.Scheduler.Lines.Claim("futex", () => q.WakeOne()));
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["slice 0", "slice 1"], _cpu.Log);
        Assert.Equal(StrandState.Exited, user.State);
    }

    [Fact]
    public void TimedSleep_WakesInDeadlineOrder_OnTheVirtualClock()
    {
        var svc = _cpu.Service;
        foreach (var (name, ms) in new[] { ("thirty", 30L), ("ten", 10L), ("twenty", 20L) })
            svc.SpawnKernel(name, 10, async self =>
            {
                await svc.Sleep(self, ms * Ms);
                _cpu.Log.Add($"{name}@{svc.Now / Ms}");
            });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["ten@10", "twenty@20", "thirty@30"], _cpu.Log);
        Assert.Equal(30 * Ms, _cpu.Clock.Now);
    }

    [Fact]
    public void SleepingStrandDoesNotRunBeforeItsDeadline_WhileOthersRun()
    {
        var svc = _cpu.Service;
        var sleeper = svc.SpawnKernel("sleeper", 10, async self => { await svc.Sleep(self, 5 * Ms); _cpu.Log.Add("awake"); });
        _cpu.CpuBound("busy", slices: 4);
        _cpu.Steps(3);
        _cpu.Clock.Advance(4 * Ms);
        _cpu.Steps(2);
        Assert.Equal(StrandState.Blocked, sleeper.State);
        _cpu.Clock.Advance(Ms);
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["busy", "busy", "busy", "busy", "awake"], _cpu.Log);
    }

    [Fact]
    public void TimedWait_TimesOut_OrIsWokenFirstAndItsTimerCancelled()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("q");
        svc.SpawnKernel("patient", 10, async self =>
        {
            bool woken = await q.Wait(self, 50 * Ms);
            _cpu.Log.Add($"patient woken={woken}@{svc.Now / Ms}");
        });
        svc.SpawnKernel("hasty", 10, async self =>
        {
            bool woken = await q.Wait(self, 5 * Ms);
            _cpu.Log.Add($"hasty woken={woken}@{svc.Now / Ms}");
            q.WakeOne();
        });
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["hasty woken=False@5", "patient woken=True@5"], _cpu.Log);
        Assert.Equal(5 * Ms, _cpu.Clock.Now);   // the cancelled 50 ms timer did not move the clock
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void WokenDuringItsOwnSlice_TheStrandStaysReady()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("self");
        var s = svc.SpawnUser("u", 10, (self, budget) =>
        {
            if (self.Slices > 0) return new(SliceOutcome.Exited, 1);
            q.Wait(self);
            q.WakeOne();   // e.g. a futex wake that found itself
            return new(SliceOutcome.Blocked, 1);
        });
        Assert.Equal(2, _cpu.Scheduler.RunUntilQuiet());
        Assert.Equal(StrandState.Exited, s.State);
    }

    [Fact]
    public void Run_IdlesOnTheDoorbell_UntilAnIoThreadInterrupts()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("nic");
        svc.SpawnKernel("reader", 10, async self => { await q.Wait(self); _cpu.Log.Add("packet"); });
        int line = _cpu.Scheduler.Lines.Claim("nic", () => q.WakeOne());
        var io = new Thread(() => { Thread.Sleep(20); _cpu.Scheduler.Lines.Raise(line); });
        io.Start();
        _cpu.Scheduler.Run();
        io.Join();
        Assert.Equal(["packet"], _cpu.Log);
        Assert.Equal(0, _cpu.Scheduler.LiveCount);
    }
}
