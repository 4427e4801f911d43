using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Kernel.Tests.Dispatcher;
using Spindle.Sdk.Strand;
using KDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;
using Spindle.Machine.Devices;

namespace Spindle.Kernel.Tests.Strand;

/// <summary>A scheduler on a virtual clock with a trusted and an untrusted owner, and a log of who ran.</summary>
internal sealed class Cpu
{
    public const long Slice = 1_000;
    public readonly KDispatcher Dispatcher = new();
    public readonly VirtualClock Clock = new();
    public readonly TestOwner Kernel = new("kernel");
    public readonly TestOwner Extension = new("ext", fuel: 1_000_000);
    public readonly Scheduler Scheduler;
    public readonly IStrandService Service;
    public readonly List<string> Log = [];

    public Cpu(PolicyAuthorizer? authorizer = null)
    {
        Scheduler = new Scheduler(Dispatcher, Clock, authorizer, Slice);
        Service = Scheduler.For(Kernel);
    }

    /// <summary>A CPU-bound user strand: every slice uses its whole budget; it exits after <paramref name="slices"/> slices (never if negative).</summary>
    public StrandHandle CpuBound(string name, int priority = 10, int slices = -1) =>
        Service.SpawnUser(name, priority, (self, budget) =>
        {
            Log.Add(name);
            return self.Slices + 1 == slices ? new SliceResult(SliceOutcome.Exited, budget) : new SliceResult(SliceOutcome.Preempted, budget);
        });

    /// <summary>Runs <paramref name="n"/> slices; fails if fewer were ready.</summary>
    public void Steps(int n)
    {
        for (int i = 0; i < n; i++)
            if (!Scheduler.Step()) Assert.Fail($"nothing ready at step {i}");
    }

    /// <summary>Slices each strand ran, in the order given.</summary>
    public static long[] SlicesOf(params StrandHandle[] strands) => [.. strands.Select(s => s.Slices)];
}
