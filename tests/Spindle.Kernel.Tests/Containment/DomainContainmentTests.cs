using System.Runtime.CompilerServices;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Domain;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>Misbehaving extension handlers are contained and charged while the kernel and other domains keep answering.</summary>
public class DomainContainmentTests
{
    private static readonly DomainOptions Small = new() { Fuel = 200_000, AllocationBudget = 4 << 20, FaultLimit = 3 };

    private static readonly Lazy<byte[]> Good = new(() => ExtensionSource.Build(ContainmentKernel.Handler("Good", 1, "return 100 + x;"), "good"));

    public static TheoryData<string, string, string> Misbehaviours => new()
    {
        { "throws", "throw new InvalidOperationException(\"boom\");", "" },
        { "spins", "while (true) { }", "" },
        { "swallows", "for (;;) { try { while (true) { } } catch { } }", "" },
        { "catches-and-returns", "try { while (true) { } } catch (Exception) { return 7; }", "" },
        { "filters", "try { while (true) { } } catch (Exception e) when (e.Message != null) { return 7; }", "" },
        { "recurses", "return R(x);", "static int R(int n) => R(n + 1) + 1;" },
        { "allocates", "var keep = new List<byte[]>(); while (true) keep.Add(new byte[4096]);", "" },
        { "concatenates", "var s = \"\"; var keep = new List<string>(); while (true) { s += \"0123456789\"; keep.Add(s); }", "" },
    };

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public void FaultingHandlerIsChargedAndDestroyedWhileOthersKeepAnswering(string name, string body, string members)
    {
        var kernel = new ContainmentKernel(Small);
        var good = kernel.Load("good", Good.Value);
        var weak = LoadBad(kernel, name, body, members, out var bad);

        for (int fault = 1; fault <= Small.FaultLimit; fault++)
        {
            Assert.Equal(0, kernel.Probe.Raise(2));              // the bad handler fired and was contained
            Assert.Equal(fault, bad.Faults);
            Assert.Equal(101, kernel.Probe.Raise(1));            // another domain still answers
        }
        Assert.True(bad.IsDestroyed);
        Assert.NotNull(bad.LastFault);
        Assert.Null(kernel.Linker.Find("bad"));
        Assert.Empty(kernel.Dispatcher.BindingsOf(bad));
        Assert.Equal(0, kernel.Probe.Raise(2));                  // no handler left for 2
        Assert.Equal(Small.FaultLimit, bad.Faults);
        Assert.Equal(0, good.Faults);
        Assert.Equal(101, kernel.Probe.Raise(1));                // the good domain still answers
        for (int i = 0; i < 20 && weak.IsAlive; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        Assert.False(weak.IsAlive, "the destroyed domain's code was not collected");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadBad(ContainmentKernel kernel, string name, string body, string members, out ProtectionDomain bad)
    {
        bad = kernel.Load("bad", ExtensionSource.Build(ContainmentKernel.Handler("Bad", 2, body, members), "bad-" + name));
        return new WeakReference(bad.LoadContext);
    }

    [Fact]
    public void LoopingStaticConstructorRefusesTheDomain()
    {
        var kernel = new ContainmentKernel(Small);
        var good = kernel.Load("good", Good.Value);
        var image = ExtensionSource.Build(ContainmentKernel.Handler("Stuck", 3, "return 0;", "static int Ready; static Stuck() { while (true) { } }"), "stuck");
        var e = Assert.Throws<DomainException>(() => kernel.Load("stuck", image));
        Assert.Contains("static constructor of Stuck faulted: MeterExhaustedException", e.Message);
        Assert.Null(kernel.Linker.Find("stuck"));
        Assert.Equal(101, kernel.Probe.Raise(1));
        Assert.Equal(0, good.Faults);
    }

    [Fact]
    public void AMemoryAuditDueDuringInitializeRunsNoStaticConstructor()
    {
        // The audit reads statics, and reading one runs its type's class constructor: an audit that fell due while a
        // domain was still being initialized ran the looping constructor below unmetered, and its thread never came back.
        string? outcome = null;
        var thread = new Thread(() =>
        {
            var kernel = new ContainmentKernel(Small);
            kernel.Load("good", Good.Value);                                      // puts this thread under audit
            var image = ExtensionSource.Build(ContainmentKernel.Handler("Stuck", 3, "return 0;", "static int Ready; static Stuck() { while (true) { } }"), "stuck");
            for (long allocated = 0; allocated <= MemoryAudit.Interval; allocated += 1 << 20) GC.KeepAlive(new byte[1 << 20]);
            try { kernel.Load("stuck", image); outcome = "loaded"; }
            catch (DomainException e) { outcome = e.Message; }
        }) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(120)), "the load never returned: the audit ran the class constructor");
        Assert.Contains("static constructor of Stuck faulted: MeterExhaustedException", outcome);
    }

    [Fact]
    public void LoopingInitializeRefusesTheDomain()
    {
        var kernel = new ContainmentKernel(Small);
        var image = ExtensionSource.Build("""
            using Spindle.Sdk;
            public sealed class Busy : IExtension { public void Initialize(IExtensionContext c) { for (;;) { try { while (true) { } } catch { } } } }
            """, "busy");
        var e = Assert.Throws<DomainException>(() => kernel.Load("busy", image));
        Assert.Contains("Busy.Initialize faulted: MeterExhaustedException", e.Message);
        Assert.Null(kernel.Linker.Find("busy"));
    }

    [Fact]
    public void FaultsBelowTheLimitKeepTheDomain()
    {
        var kernel = new ContainmentKernel(Small);
        var bad = kernel.Load("flaky", ExtensionSource.Build(ContainmentKernel.Handler("Flaky", 2, "if (x == 2) throw new Exception(); return x;"), "flaky"));
        kernel.Probe.Raise(2);
        Assert.Equal(1, bad.Faults);
        Assert.False(bad.IsDestroyed);
        Assert.Single(kernel.Dispatcher.BindingsOf(bad));
    }
}
