using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Tests.Boot;

/// <summary>Asynchronous handlers run in a booted kernel: later, on the kernel's own strand, in the order raised.</summary>
public sealed class AsyncHandlerTests
{
    [Fact]
    public void AsyncHandlersRunOnTheKernelsStrandAfterTheRaise()
    {
        using var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 4 << 20));
        var owner = new KernelOwner("test");
        var ev = kernel.Dispatcher.Declare<int, int>(owner, "probe", x => -x, out _);
        var seen = new List<int>();
        kernel.Dispatcher.Install(owner, ev, x => { seen.Add(x); return 0; }, null, new InstallOptions { Async = true });

        Assert.Equal(-1, ev.Raise(1));
        Assert.Equal(-2, ev.Raise(2));
        Assert.Empty(seen);                       // not run by the raise itself

        kernel.Scheduler.RunUntilQuiet();
        Assert.Equal([1, 2], seen);

        ev.Raise(3);                              // the strand went back to sleep and wakes again
        kernel.Scheduler.RunUntilQuiet();
        Assert.Equal([1, 2, 3], seen);
    }
}
