using Spindle.Sdk.Dispatcher;
using KDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Dispatcher;

public class DispatcherConcurrencyTests
{
    [Fact]
    public async Task RaisesOnOneThread_WhileAnotherInstallsAndUninstalls_SeeOnlyConsistentHandlerSets()
    {
        var d = new KDispatcher();
        var owner = new TestOwner("kernel");
        // Result handler: sum. The intrinsic gives 1; each extra handler on key 7 gives 1000, unguarded ones 1,000,000.
        var ev = d.Declare<Trap, long>(owner, "E", _ => 1, out _, new EventOptions<Trap, long> { Combine = (x, y) => x + y });
        var failures = new List<long>();
        using var stop = new CancellationTokenSource();
        var raiser = Task.Run(() =>
        {
            long raises = 0;
            while (!stop.IsCancellationRequested || raises < 1000)
            {
                long r = ev.Raise(new Trap(7, 0));
                raises++;
                // At most one keyed and one unguarded extra handler exist at any time.
                if (r is not (1 or 1001 or 1_000_001 or 1_001_001)) lock (failures) failures.Add(r);
            }
        });
        for (int i = 0; i < 300; i++)
        {
            var keyed = d.Install(owner, ev, _ => 1000, a => a.Number == 7);
            var plain = d.Install(owner, ev, _ => 1_000_000);
            Thread.Yield();
            keyed.Uninstall();
            plain.Uninstall();
        }
        stop.Cancel();
        await raiser;
        Assert.Empty(failures);
        Assert.Equal(1, ev.Raise(new Trap(7, 0)));
        Assert.Empty(owner.Faults);
    }
}
