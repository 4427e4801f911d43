using Spindle.Kernel.Domain;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>
/// Work the meter cannot see in extension IL is charged where it is asked for: a priced base-library call by the size
/// of its inputs before it runs (so an allocation over the budget never happens), a caught exception by the runtime
/// work of its throw.
/// </summary>
public sealed class BaseLibraryChargeTests
{
    private static readonly DomainOptions Limits = new() { Fuel = 1_000_000, AllocationBudget = 8 << 20, FaultLimit = 3 };

    private static (ProtectionDomain Domain, int Answer, long Allocated) Raise(string name, string body, string members = "")
    {
        var kernel = new ContainmentKernel(Limits);
        var domain = kernel.Load(name, ExtensionSource.Build(ContainmentKernel.Handler(name, 2, body, members), "charge-" + name));
        long before = GC.GetAllocatedBytesForCurrentThread();
        int answer = kernel.Probe.Raise(2);
        return (domain, answer, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("PadLeft", "return \"\".PadLeft(400_000_000).Length;")]
    [InlineData("PadRight", "var s = \"x\"; return s.PadRight(100_000_000, '.').Length;")]
    public void AnAllocationPastTheBudgetIsRefusedBeforeItHappens(string name, string body)
    {
        var (domain, answer, allocated) = Raise(name, body);
        Assert.Equal(0, answer);
        Assert.Equal(1, domain.Faults);
        Assert.Contains("allocation budget exhausted (base-library allocation charged before the call)", domain.LastFault);
        Assert.True(allocated < 16 << 20, $"{allocated >> 20} MB were allocated by a call whose budget is 8 MB");
    }

    [Fact]
    public void ACallWithinTheBudgetRunsAndIsCharged()
    {
        var (domain, answer, _) = Raise("Small", "return \"ab\".PadLeft(1000).Length;");
        Assert.Equal(1000, answer);
        Assert.Equal(0, domain.Faults);
    }

    [Fact]
    public void EachCaughtExceptionPaysForItsThrow()
    {
        var (domain, answer, _) = Raise("Thrower", "for (;;) { try { Count++; throw new InvalidOperationException(); } catch (InvalidOperationException) { } }",
            "public static long Count;");
        Assert.Equal(0, answer);
        Assert.Contains("instruction budget exhausted", domain.LastFault);
        long count = (long)domain.Assembly!.GetType("Thrower")!.GetField("Count")!.GetValue(null)!;
        Assert.InRange(count, 1, Limits.Fuel / Meter.CatchCost + 1);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("x", 1)]
    [InlineData("D999999999", 10 + 999_999_999)]
    [InlineData("{0,1000000}{1:D12}", 18 + 1_000_000)]
    [InlineData("99999999999999999999", 20L + int.MaxValue)]
    public void AFormatIsSizedByTheLargestNumberInIt(string? format, long size) => Assert.Equal(size, Meter.SizeFormat(format));
}
