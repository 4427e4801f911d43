using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

public class AllocationTests
{
    [Fact]
    public void SteadyStateSwitches_DoNotAllocate()
    {
        var cpu = new Cpu();
        var svc = cpu.Service;
        var ping = svc.CreateWaitQueue("ping");
        var pong = svc.CreateWaitQueue("pong");
        const int Rounds = 20_000;
        int served = 0;
        svc.SpawnKernel("server", 10, async self =>
        {
            while (true)
            {
                await ping.Wait(self);
                served++;
                pong.WakeOne();
            }
        });
        svc.SpawnKernel("client", 10, async self =>
        {
            for (int i = 0; i < 2 * Rounds; i++)
            {
                ping.WakeOne();
                await pong.Wait(self);
                await svc.Yield(self);
            }
        });
        svc.SpawnUser("user", 10, (self, budget) => new(SliceOutcome.Preempted, budget));
        cpu.Steps(6_000);   // warm up: the async boxes and queues reach their working size
        long allocated = SteadyState.Allocated(() => cpu.Steps(3 * Rounds));
        Assert.True(served > Rounds / 2, $"only {served} round trips");
        Assert.Equal(0, allocated);
    }
}
