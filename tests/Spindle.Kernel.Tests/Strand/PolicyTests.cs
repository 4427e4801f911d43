using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

public class PolicyTests
{
    private readonly Cpu _cpu = new();

    private (StrandHandle[] Strands, IProportionalShare Share, ISchedulerPolicy Stride) Tickets123()
    {
        var strands = new[] { _cpu.CpuBound("one"), _cpu.CpuBound("two"), _cpu.CpuBound("three") };
        var stride = SchedulersExtension.NewStride(Cpu.Slice);
        var share = (IProportionalShare)stride;
        for (int i = 0; i < 3; i++) share.SetTickets(strands[i], i + 1);
        return (strands, share, stride);
    }

    [Fact]
    public void Stride_GivesSlicesInTicketRatio_RoundRobinGivesEqualSlices()
    {
        var (strands, _, stride) = Tickets123();
        _cpu.Steps(600);
        Assert.Equal([200, 200, 200], Cpu.SlicesOf(strands));

        _cpu.Service.InstallPolicy(stride);
        Assert.Equal("stride", _cpu.Service.PolicyName);
        var before = Cpu.SlicesOf(strands);
        _cpu.Steps(600);
        var delta = Cpu.SlicesOf(strands).Zip(before, (a, b) => a - b).ToArray();
        for (int i = 0; i < 3; i++) Assert.InRange(delta[i], 100 * (i + 1) - 1, 100 * (i + 1) + 1);
    }

    [Fact]
    public void Uninstall_RestoresRoundRobin_WithEveryStrandStillScheduled()
    {
        var (strands, _, stride) = Tickets123();
        var binding = _cpu.Service.InstallPolicy(stride);
        _cpu.Steps(60);
        Assert.True(binding.Uninstall());
        Assert.False(binding.Installed);
        Assert.False(binding.Uninstall());
        Assert.Equal("round-robin", _cpu.Service.PolicyName);
        var before = Cpu.SlicesOf(strands);
        _cpu.Steps(300);
        Assert.All(Cpu.SlicesOf(strands).Zip(before, (a, b) => a - b), d => Assert.Equal(100, d));
    }

    [Fact]
    public void Swap_WithBlockedAndSleepingStrands_LosesNone()
    {
        var svc = _cpu.Service;
        var q = svc.CreateWaitQueue("q");
        var waiter = svc.SpawnKernel("waiter", 10, async self => { await q.Wait(self); _cpu.Log.Add("waiter"); });
        var sleeper = svc.SpawnKernel("sleeper", 10, async self => { await svc.Sleep(self, 1_000); _cpu.Log.Add("sleeper"); });
        var busy = _cpu.CpuBound("busy", slices: 10);
        _cpu.Steps(3);
        var binding = svc.InstallPolicy(SchedulersExtension.NewStride(Cpu.Slice));
        _cpu.Steps(2);
        q.WakeOne();
        binding.Uninstall();
        _cpu.Scheduler.RunUntilQuiet();
        Assert.Equal(["waiter", "sleeper"], _cpu.Log.Where(n => n != "busy"));
        Assert.All(new[] { waiter, sleeper, busy }, s => Assert.Equal(StrandState.Exited, s.State));
    }

    [Fact]
    public void UnprivilegedDomain_MayNotReplaceThePolicy()
    {
        var ext = _cpu.Scheduler.For(_cpu.Extension);
        var e = Assert.Throws<PolicyRefusedException>(() => ext.InstallPolicy(SchedulersExtension.NewStride(Cpu.Slice)));
        Assert.Contains("only a privileged domain", e.Message);
        Assert.Equal("round-robin", ext.PolicyName);
    }

    [Fact]
    public void CustomAuthorizer_DecidesWhoMayInstall()
    {
        var cpu = new Cpu((IHandlerOwner who, ISchedulerPolicy p, out string reason) =>
        {
            reason = "the scheduler domain only";
            return who.Name == "ext";
        });
        cpu.Scheduler.For(cpu.Extension).InstallPolicy(SchedulersExtension.NewStride(Cpu.Slice));
        Assert.Throws<PolicyRefusedException>(() => cpu.Service.InstallPolicy(SchedulersExtension.NewStride(Cpu.Slice)));
        Assert.Throws<StrandException>(() => cpu.Service.InstallPolicy(null!));
    }

    [Fact]
    public void ReplacingAnInstalledPolicy_RevokesItsBinding()
    {
        var first = _cpu.Service.InstallPolicy(SchedulersExtension.NewStride(Cpu.Slice));
        var second = _cpu.Service.InstallPolicy(SchedulersExtension.NewStride(Cpu.Slice));
        Assert.False(first.Installed);
        Assert.False(first.Uninstall());
        Assert.True(second.Installed);
    }

    [Fact]
    public void FaultingPolicy_IsUninstalled_AndRoundRobinRunsEveryStrand()
    {
        var strands = Enumerable.Range(0, 3).Select(i => _cpu.CpuBound($"s{i}", slices: 20)).ToArray();
        var binding = _cpu.Service.InstallPolicy(new FaultyPolicy(picksBeforeFault: 7));
        Assert.Equal(60, _cpu.Scheduler.RunUntilQuiet());
        Assert.False(binding.Installed);
        Assert.Equal(1, _cpu.Scheduler.PolicyFaults);
        Assert.Equal("round-robin", _cpu.Service.PolicyName);
        Assert.Contains("policy bug", Assert.Single(_cpu.Kernel.Faults).Message);
        Assert.All(strands, s => Assert.Equal(StrandState.Exited, s.State));
    }

    [Fact]
    public void PolicyThatLosesAStrand_IsUninstalled()
    {
        _cpu.CpuBound("a", slices: 3);
        _cpu.CpuBound("b", slices: 3);
        _cpu.Service.InstallPolicy(new ForgetfulPolicy());
        Assert.Equal(6, _cpu.Scheduler.RunUntilQuiet());
        Assert.Contains("lost", Assert.Single(_cpu.Kernel.Faults).Message);
    }

    /// <summary>A FIFO policy whose PickNext throws after a number of picks.</summary>
    private sealed class FaultyPolicy(int picksBeforeFault) : ISchedulerPolicy
    {
        private readonly Queue<StrandHandle> _q = new();
        private int _picks;
        public string Name => "faulty";
        public void Admit(StrandHandle strand) { }
        public void Enqueue(StrandHandle strand, EnqueueReason reason) => _q.Enqueue(strand);
        public StrandHandle? PickNext() => ++_picks > picksBeforeFault ? throw new InvalidOperationException("policy bug") : _q.Dequeue();
        public long SliceFor(StrandHandle strand) => 10;
        public void Charge(StrandHandle strand, long used) { }
        public void Retire(StrandHandle strand) { }
    }

    /// <summary>A policy that drops every strand it is given.</summary>
    private sealed class ForgetfulPolicy : ISchedulerPolicy
    {
        public string Name => "forgetful";
        public void Admit(StrandHandle strand) { }
        public void Enqueue(StrandHandle strand, EnqueueReason reason) { }
        public StrandHandle? PickNext() => null;
        public long SliceFor(StrandHandle strand) => 10;
        public void Charge(StrandHandle strand, long used) { }
        public void Retire(StrandHandle strand) { }
    }
}
