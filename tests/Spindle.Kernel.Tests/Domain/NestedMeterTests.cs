using Spindle.Kernel.Tests.Dispatcher;
using Spindle.Sdk.Runtime;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Domain;

/// <summary>Nested metered calls: each handler runs under its own meter, saved and restored around the inner call.</summary>
public sealed class NestedMeterTests
{
    private readonly KernelDispatcher _d = new();
    private readonly TestOwner _kernel = new("kernel");

    [Fact]
    public void InnerHandlerThatLoops_IsChargedToItsOwner_AndTheOuterHandlerCarriesOn()
    {
        var inner = _d.Declare<int, int>(_kernel, "Inner", a => -1, out _);
        var looper = new TestOwner("looper", fuel: 1_000);
        _d.Install(looper, inner, a => { while (true) Meter.Tick(); });
        var outer = _d.Declare<int, int>(_kernel, "Outer", a => -1, out _);
        var caller = new TestOwner("caller", fuel: 100_000);
        _d.Install(caller, outer, a =>
        {
            int r = inner.Raise(a);
            for (int i = 0; i < 100; i++) Meter.Tick();   // still armed, with fuel left
            return r + 10;
        });

        Assert.Equal(9, outer.Raise(0));
        Assert.IsType<MeterExhaustedException>(Assert.Single(looper.Faults));
        Assert.Empty(caller.Faults);
        Assert.False(Meter.IsArmed);
    }

    [Fact]
    public void InnerConsumption_IsChargedToTheOuterCall()
    {
        var inner = _d.Declare<int, int>(_kernel, "Inner", a => 0, out _);
        var burner = new TestOwner("burner", fuel: 10_000);
        _d.Install(burner, inner, a => { for (int i = 0; i < 4_000; i++) Meter.Tick(); return 1; });
        var outer = _d.Declare<int, int>(_kernel, "Outer", a => -1, out _);
        var caller = new TestOwner("caller", fuel: 10_000);
        _d.Install(caller, outer, a =>
        {
            int sum = inner.Raise(0) + inner.Raise(0) + inner.Raise(0);
            for (int i = 0; i < 10; i++) Meter.Tick();     // the inner calls drained the outer budget
            return sum;
        });

        // 3 x 4000 inner ticks exceed the outer 10000: the third inner call gets only the remainder,
        // and the outer call is out of fuel when it resumes.
        Assert.Equal(-1, outer.Raise(0));
        Assert.IsType<MeterExhaustedException>(Assert.Single(burner.Faults));
        Assert.IsType<MeterExhaustedException>(Assert.Single(caller.Faults));
    }

    [Fact]
    public void InnerGetsAtMostItsOwnFuel_EvenUnderARicherOuterCall()
    {
        var inner = _d.Declare<int, int>(_kernel, "Inner", a => 0, out _);
        var poor = new TestOwner("poor", fuel: 500);
        _d.Install(poor, inner, a => { for (int i = 0; i < 2_000; i++) Meter.Tick(); return 1; });
        var outer = _d.Declare<int, int>(_kernel, "Outer", a => -1, out _);
        var rich = new TestOwner("rich", fuel: 1_000_000);
        _d.Install(rich, outer, a => inner.Raise(0) + 5);

        Assert.Equal(5, outer.Raise(0));
        Assert.Single(poor.Faults);
        Assert.Empty(rich.Faults);
    }
}
