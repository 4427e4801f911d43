using System.Linq.Expressions;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Runtime;
using KDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Dispatcher;

public class DispatcherSemanticsTests
{
    private readonly KDispatcher _d = new();
    private readonly TestOwner _kernel = new("kernel");
    private readonly TestOwner _ext = new("ext", fuel: 1_000_000);
    private readonly List<string> _log = [];

    private Event<Trap, long> Declare(out Binding intrinsic, EventOptions<Trap, long>? options = null) =>
        _d.Declare<Trap, long>(_kernel, "Trap", a => { _log.Add("intrinsic"); return -38; }, out intrinsic, options);

    private Func<Trap, long> Logs(string name, long result = 0) => _ => { _log.Add(name); return result; };

    [Fact]
    public void IntrinsicOnly_RaiseCallsTheIntrinsicDelegateItself()
    {
        Func<Trap, long> intrinsic = a => a.A0 + 1;
        var ev = _d.Declare(_kernel, "Getpid", intrinsic, out _);
        Assert.Equal(42, ev.Raise(new Trap(172, 41)));
        Assert.Same(intrinsic, ev.Routine);
    }

    [Fact]
    public void Order_FirstLastBeforeAfter()
    {
        var ev = Declare(out var intrinsic);
        var last = _d.Install(_kernel, ev, Logs("last"));
        _d.Install(_kernel, ev, Logs("first"), options: InstallOptions.First);
        _d.Install(_kernel, ev, Logs("before-last"), options: InstallOptions.Before(last));
        _d.Install(_kernel, ev, Logs("after-intrinsic"), options: InstallOptions.After(intrinsic));
        _d.Install(_kernel, ev, Logs("after-last"), options: InstallOptions.After(last));
        ev.Raise(default);
        Assert.Equal(["first", "intrinsic", "after-intrinsic", "before-last", "last", "after-last"], _log);
    }

    [Fact]
    public void Guards_OnlyPassingHandlersRun_AndLastResultWins()
    {
        var ev = Declare(out _);
        _d.Install(_kernel, ev, Logs("n39", 39), a => a.Number == 39);
        _d.Install(_kernel, ev, Logs("big", 1000), a => a.Number > 100 && a.A0 != 0);
        Assert.Equal(39, ev.Raise(new Trap(39, 0)));
        Assert.Equal(1000, ev.Raise(new Trap(500, 1)));
        Assert.Equal(-38, ev.Raise(new Trap(500, 0)));
        Assert.Equal(["intrinsic", "n39", "intrinsic", "big", "intrinsic"], _log);
    }

    [Fact]
    public void CapturedVariablesAreReadOnceAtInstall()
    {
        var ev = Declare(out var intrinsic);
        intrinsic.Uninstall();
        long wanted = 7;
        _d.Install(_kernel, ev, Logs("h", 1), a => a.Number == wanted);
        wanted = 8;
        Assert.Equal(1, ev.Raise(new Trap(7, 0)));
        Assert.Equal(0, ev.Raise(new Trap(8, 0)));
    }

    [Fact]
    public void Authorizer_RefusesAndImposesGuards()
    {
        var ev = Declare(out _, new EventOptions<Trap, long>
        {
            Authorizer = req => req.Installer == "intruder"
                ? Authorization<Trap>.Refuse("not trusted")
                : Authorization<Trap>.AcceptWith(a => a.A0 == 1),
        });
        var refused = Assert.Throws<InstallRefusedException>(() => _d.Install(new TestOwner("intruder"), ev, Logs("x")));
        Assert.Contains("not trusted", refused.Message);
        _d.Install(_ext, ev, Logs("ext", 5), a => a.Number == 3);
        Assert.Equal(-38, ev.Raise(new Trap(3, 0)));   // imposed guard false
        Assert.Equal(5, ev.Raise(new Trap(3, 1)));
        Assert.Equal(-38, ev.Raise(new Trap(4, 1)));   // own guard false
        Assert.Equal(3, _log.Count(s => s == "intrinsic"));
        Assert.Equal(1, _log.Count(s => s == "ext"));
    }

    [Fact]
    public void Authorizer_ThatFaultsOrImposesABadGuard_Refuses()
    {
        var faulty = new TestOwner("faulty-module", fuel: 1000);
        var ev = _d.Declare<Trap, long>(faulty, "E", _ => 0, out _, new EventOptions<Trap, long>
        {
            Authorizer = req => req.Guard == null ? throw new InvalidOperationException("boom")
                : Authorization<Trap>.AcceptWith(a => a.Number.ToString() == "1"),
        });
        Assert.Throws<InstallRefusedException>(() => _d.Install(_ext, ev, Logs("x")));
        Assert.Single(faulty.Faults);
        var e = Assert.Throws<InstallRefusedException>(() => _d.Install(_ext, ev, Logs("x"), a => a.A0 == 0));
        Assert.Contains("imposed guard", e.Message);
    }

    [Fact]
    public void ResultHandler_CombinesFiredResultsInOrder()
    {
        var ev = Declare(out var intrinsic, new EventOptions<Trap, long> { Combine = (acc, next) => acc * 10 + next });
        intrinsic.Uninstall();
        _d.Install(_kernel, ev, Logs("1", 1));
        _d.Install(_kernel, ev, Logs("2", 2), a => a.Number != 0);
        _d.Install(_kernel, ev, Logs("3", 3));
        Assert.Equal(123, ev.Raise(new Trap(1, 0)));
        Assert.Equal(13, ev.Raise(new Trap(0, 0)));
    }

    [Fact]
    public void DefaultHandler_RunsWhenNoGuardPasses()
    {
        var ev = Declare(out var intrinsic, new EventOptions<Trap, long> { Default = a => -a.Number });
        intrinsic.Uninstall();
        _d.Install(_kernel, ev, Logs("h", 99), a => a.Number == 1);
        Assert.Equal(99, ev.Raise(new Trap(1, 0)));
        Assert.Equal(-5, ev.Raise(new Trap(5, 0)));
    }

    [Fact]
    public void NoHandlerAndNoDefault_ReturnsDefaultResult()
    {
        var ev = Declare(out var intrinsic);
        intrinsic.Uninstall();
        Assert.Equal(0, ev.Raise(new Trap(1, 1)));
    }

    [Fact]
    public void AsyncHandlers_RunWhenTheQueueIsDrained_InOrder_AndDroppedIfUninstalled()
    {
        var ev = Declare(out _);
        var async = new InstallOptions { Async = true };
        _d.Install(_kernel, ev, a => { _log.Add($"a{a.A0}"); return 100; }, options: async);
        var b = _d.Install(_kernel, ev, a => { _log.Add($"b{a.A0}"); return 200; }, a => a.Number == 1, async);
        Assert.Equal(-38, ev.Raise(new Trap(1, 1)));   // async handlers contribute no result
        ev.Raise(new Trap(1, 2));
        ev.Raise(new Trap(0, 3));
        Assert.Equal(["intrinsic", "intrinsic", "intrinsic"], _log);
        Assert.Equal(5, _d.Queue.Count);
        Assert.Equal(5, _d.Queue.Drain());
        Assert.Equal(["intrinsic", "intrinsic", "intrinsic", "a1", "b1", "a2", "b2", "a3"], _log);
        ev.Raise(new Trap(1, 4));
        b.Uninstall();
        Assert.Equal(1, _d.Queue.Drain());
        Assert.Equal("a4", _log[^1]);
    }

    [Fact]
    public void EphemeralHandler_IsCutOffWhenItsFuelRunsOut_AndChargedToItsOwner()
    {
        var ev = Declare(out _);
        _d.Install(_kernel, ev, a => { while (true) Meter.Tick(); }, options: new InstallOptions { EphemeralFuel = 10_000 });
        _d.Install(_kernel, ev, a => { for (int i = 0; i < 100; i++) Meter.Tick(); _log.Add("short"); return 7; },
            options: new InstallOptions { EphemeralFuel = 10_000 });
        Assert.Equal(7, ev.Raise(default));
        Assert.IsType<MeterExhaustedException>(Assert.Single(_kernel.Faults));
        Assert.Equal(["intrinsic", "short"], _log);
        Meter.Tick(); // the meter is disarmed after the raise: ticking outside a handler does nothing
    }

    [Fact]
    public void UntrustedHandlerThatThrows_IsChargedAndOthersStillRun()
    {
        var ev = Declare(out _);
        _d.Install(_ext, ev, Logs("before", 1));
        _d.Install(_ext, ev, a => a.A0 == 0 ? throw new InvalidOperationException("bad handler") : 50);
        _d.Install(_kernel, ev, Logs("after", 3), a => a.Number == 1);
        Assert.Equal(1, ev.Raise(new Trap(0, 0)));    // the throwing handler did not fire
        Assert.Equal(3, ev.Raise(new Trap(1, 0)));
        Assert.Equal(50, ev.Raise(new Trap(0, 1)));
        Assert.Equal(2, _ext.Faults.Count);
        Assert.All(_ext.Faults, f => Assert.Equal("bad handler", f.Message));
        Assert.Equal(3, _log.Count(s => s == "before"));
        Assert.Equal(1, _log.Count(s => s == "after"));
    }

    [Fact]
    public void UntrustedEndlessHandler_IsCutOffByItsOwnersFuel()
    {
        var ev = Declare(out _);
        var looping = new TestOwner("looping", fuel: 5000);
        _d.Install(looping, ev, a => { while (true) Meter.Tick(); });
        Assert.Equal(-38, ev.Raise(default));
        Assert.IsType<MeterExhaustedException>(Assert.Single(looping.Faults));
    }

    [Fact]
    public void NestedMeteredRaise_DoesNotDisarmTheOuterHandlersMeter()
    {
        var inner = _d.Declare<int, int>(_kernel, "Inner", a => a, out _);
        var innerOwner = new TestOwner("inner-ext", fuel: 1000);
        _d.Install(innerOwner, inner, a => { Meter.Tick(); return a + 1; });
        var outerOwner = new TestOwner("outer-ext", fuel: 5000);
        var ev = Declare(out _);
        _d.Install(outerOwner, ev, a =>
        {
            inner.Raise(1);
            for (int i = 0; i < 1_000_000; i++) Meter.Tick(); // beyond the outer budget: must be cut off
            return 1;
        });
        Assert.Equal(-38, ev.Raise(default));
        Assert.IsType<MeterExhaustedException>(Assert.Single(outerOwner.Faults));
        Assert.Empty(innerOwner.Faults);
    }

    [Fact]
    public void TrustedHandlerThatThrows_PropagatesToTheRaiser()
    {
        var ev = Declare(out _);
        _d.Install(_kernel, ev, a => throw new InvalidOperationException("kernel bug"));
        Assert.Throws<InvalidOperationException>(() => ev.Raise(default));
    }

    [Fact]
    public void GuardThatThrows_CountsAsFalse_AndIsChargedToItsOwner()
    {
        var ev = Declare(out _);
        _d.Install(_ext, ev, Logs("div", 9), a => 100 / a.A0 == 10);
        Assert.Equal(9, ev.Raise(new Trap(0, 10)));
        Assert.Equal(-38, ev.Raise(new Trap(0, 0)));
        Assert.IsType<DivideByZeroException>(Assert.Single(_ext.Faults));
    }

    [Fact]
    public void UninstallDuringDispatch_CurrentRaiseKeepsItsSnapshot_NextRaiseSeesTheChange()
    {
        var ev = Declare(out _);
        Binding? later = null, self = null;
        self = _d.Install(_kernel, ev, a => { _log.Add("self"); self!.Uninstall(); later!.Uninstall(); _d.Install(_kernel, ev, Logs("new")); return 1; });
        later = _d.Install(_kernel, ev, Logs("later", 2));
        ev.Raise(default);
        Assert.Equal(["intrinsic", "self", "later"], _log);
        _log.Clear();
        ev.Raise(default);
        Assert.Equal(["intrinsic", "new"], _log);
        Assert.False(self.Uninstall());
        Assert.False(later.Installed);
    }

    [Fact]
    public void ClosureHandler_ReceivesItsClosure()
    {
        var ev = Declare(out var intrinsic);
        intrinsic.Uninstall();
        var counter = new int[1];
        _d.Install(_ext, ev, (int[] c, Trap a) => c[0] += (int)a.A0, counter, a => a.Number == 2);
        ev.Raise(new Trap(2, 5));
        ev.Raise(new Trap(3, 5));
        Assert.Equal(5, counter[0]);
    }

    [Fact]
    public void UninstallAll_RemovesOnlyThatOwnersHandlers()
    {
        var ev = Declare(out _);
        _d.Install(_ext, ev, Logs("e1"));
        _d.Install(_ext, ev, Logs("e2"), a => a.Number == 3);
        _d.Install(_kernel, ev, Logs("k"));
        Assert.Equal(2, _d.BindingsOf(_ext).Count);
        Assert.Equal(2, _d.UninstallAll(_ext));
        Assert.Empty(_d.BindingsOf(_ext));
        ev.Raise(new Trap(3, 0));
        Assert.Equal(["intrinsic", "k"], _log);
    }

    [Fact]
    public void Facade_InstallsForItsOwner()
    {
        IDispatcher ext = _d.For(_ext);
        var ev = ext.Declare<int, int>("Ext.Event", a => a * 2, out var intrinsic);
        var b = ext.Install(ev, a => a + 1, a => a > 10);
        Assert.Equal(4, ev.Raise(2));
        Assert.Equal(12, ev.Raise(11));
        Assert.Same(_ext, ((Binding)b).Owner);
        Assert.Equal(2, _d.UninstallAll(_ext));
        Assert.False(intrinsic.Installed);
    }

    [Fact]
    public void BadInput_GetsClearErrors()
    {
        var ev = Declare(out var intrinsic);
        var other = new KDispatcher().Declare<Trap, long>(_kernel, "Other", _ => 0, out var foreign);
        Assert.Throws<DispatchException>(() => _d.Install(_kernel, ev, (Func<Trap, long>)null!));
        Assert.Contains("not declared with this dispatcher", Assert.Throws<DispatchException>(() => _d.Install(_kernel, other, Logs("x"))).Message);
        Assert.Throws<DispatchException>(() => _d.Install(_kernel, ev, Logs("x"), options: InstallOptions.Before(foreign)));
        Assert.Throws<DispatchException>(() => _d.Install(_kernel, ev, Logs("x"), options: new InstallOptions { Order = HandlerOrder.After }));
        Assert.Throws<DispatchException>(() => _d.Install(_kernel, ev, Logs("x"), options: new InstallOptions { EphemeralFuel = -1 }));
        Assert.Throws<DispatchException>(() => _d.Declare<int, int>(_kernel, " ", a => a, out _));
        intrinsic.Uninstall();
        Assert.Throws<DispatchException>(() => _d.Install(_kernel, ev, Logs("x"), options: InstallOptions.After(intrinsic)));
    }

    [Fact]
    public void Guards_WithSideEffectsOrCalls_AreRejected()
    {
        var ev = Declare(out _);
        Assert.Throws<GuardRejectedException>(() => _d.Install(_kernel, ev, Logs("x"), a => a.Number.ToString() == "1"));
        Assert.Throws<GuardRejectedException>(() => _d.Install(_kernel, ev, Logs("x"), a => Console.ReadLine() == null));
        var p = Expression.Parameter(typeof(Trap), "a");
        var box = Expression.Variable(typeof(long), "x");
        var assigns = Expression.Lambda<Func<Trap, bool>>(
            Expression.Block([box], Expression.Assign(box, Expression.Field(p, "<Number>k__BackingField")), Expression.Constant(true)), p);
        Assert.Throws<GuardRejectedException>(() => _d.Install(_kernel, ev, Logs("x"), assigns));
        Assert.Throws<GuardRejectedException>(() => _d.Install(_kernel, ev, Logs("x"), a => new List<int>().Count == 0));
        Assert.Throws<GuardRejectedException>(() => _d.Install(_kernel, ev, Logs("x"), a => DateTime.Now.Ticks > 0));
        // allowed: arithmetic, auto-properties, string equality, Math.Max
        _d.Install(_kernel, ev, Logs("ok"), a => Math.Max(a.Number, a.A0) * 2 + 1 > 3 && "x" == "x");
    }
}

/// <summary>Which trusted handler calls a compiled routine makes directly and which through the delegate.</summary>
public class DispatcherDelegateCallTests
{
    private static readonly ParameterExpression TrapArg = Expression.Parameter(typeof(Trap), "a");
    private static readonly ParameterExpression PacketArg = Expression.Parameter(typeof(Packet), "p");

    private static long Static(Trap a) => a.A0 + 1;

    [Fact]
    public void LambdasAndStaticMethods_AreCalledDirectly_OtherShapesThroughTheDelegate()
    {
        long k = 5;
        Func<Trap, long> closure = a => a.A0 + k, plain = Static;
        Func<Packet, int> variant = (Func<object, int>)(o => 3); // contravariant: the method takes object
        Assert.True(DelegateCall.OnTarget(closure, TrapArg));
        Assert.IsType<MethodCallExpression>(DelegateCall.Of(closure, TrapArg), exactMatch: false);
        Assert.IsType<MethodCallExpression>(DelegateCall.Of(plain, TrapArg), exactMatch: false);
        Assert.False(DelegateCall.OnTarget(plain, TrapArg));                     // static: no target to carry
        Assert.IsType<InvocationExpression>(DelegateCall.Of(plain + closure, TrapArg), exactMatch: false);
        Assert.IsType<InvocationExpression>(DelegateCall.Of(variant, PacketArg), exactMatch: false);
    }

    [Fact]
    public void MulticastAndVariantHandlers_StillRunEveryTargetWithTheRightArgument()
    {
        var d = new KDispatcher();
        var kernel = new TestOwner("kernel");
        var log = new List<string>();
        Func<Packet, int> first = _ => { log.Add("first"); return 1; }, second = _ => { log.Add("second"); return 2; };
        Func<Packet, int> variant = (Func<object, int>)(o => { log.Add("variant " + ((Packet)o).Tag); return 3; });
        var ev = d.Declare(kernel, "E", first + second, out _);
        d.Install(kernel, ev, variant, p => p.Tag != "");
        Assert.Equal(3, ev.Raise(new Packet { Tag = "x" }));
        Assert.Equal(["first", "second", "variant x"], log);
    }
}
