using System.Runtime.CompilerServices;
using Spindle.Kernel.Domain;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>What a domain keeps between calls is audited against its quota; a hoarder is destroyed and its memory returns.</summary>
public sealed class MemoryQuotaTests
{
    private static readonly DomainOptions Quota = new() { Fuel = 1_000_000, AllocationBudget = 16 << 20, FaultLimit = 3, MemoryQuota = 16 << 20 };

    [Theory]
    [InlineData("arrays", "Keep.Add(new byte[4 << 20]); return Keep.Count;", "static readonly List<byte[]> Keep = new();")]
    [InlineData("dictionary", "for (int i = 0; i < 20_000; i++) Keep[Keep.Count] = \"\" + i; return Keep.Count;", "static readonly Dictionary<int, string> Keep = new();")]
    [InlineData("closure", "Chain = new Link(Chain, new long[500_000]); return 1;", "sealed record Link(Link? Next, long[] Data); static Link? Chain;")]
    public void AHoarderIsDestroyedBeforeItHoldsMuchMoreThanItsQuota(string name, string body, string members)
    {
        long baseline = GC.GetTotalMemory(true);
        var kernel = new ContainmentKernel(Quota);
        var good = kernel.Load("good", ExtensionSource.Build(ContainmentKernel.Handler("Good", 1, "return 100 + x;"), "good-quota"));
        var weak = LoadHoarder(kernel, name, body, members, out var hoarder);
        for (int i = 0; i < 500 && !hoarder.IsDestroyed; i++)
        {
            kernel.Probe.Raise(2);
            Assert.True(GC.GetTotalMemory(false) - baseline < 512L << 20, $"{name}: holds {(GC.GetTotalMemory(false) - baseline) >> 20} MB and is still alive");
        }
        Assert.True(hoarder.IsDestroyed, $"{name}: never destroyed");
        Assert.Contains("memory quota exceeded", hoarder.LastFault);
        Assert.Equal(101, kernel.Probe.Raise(1));
        Assert.False(good.IsDestroyed);
        for (int i = 0; i < 20 && weak.IsAlive; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        Assert.False(weak.IsAlive, "the hoarder's code was not collected");
        Assert.True(GC.GetTotalMemory(true) - baseline < 64L << 20, $"memory did not return: {(GC.GetTotalMemory(true) - baseline) >> 20} MB over the baseline");
    }

    [Fact]
    public void ADomainHoldingKernelObjectsAndLittleElseIsNotCharged()
    {
        var kernel = new ContainmentKernel(Quota);
        var holder = kernel.Load("holder", ExtensionSource.Build(ContainmentKernel.Handler("Holder", 2,
            "Scratch = new byte[4 << 20]; return Scratch.Length;", "static byte[]? Scratch;"), "holder-quota"));
        for (int i = 0; i < 60; i++) Assert.Equal(4 << 20, kernel.Probe.Raise(2));   // 240 MB allocated, 4 MB held
        Assert.False(holder.IsDestroyed, holder.LastFault);
        Assert.InRange(MemoryAudit.Measure(holder, long.MaxValue), 4 << 20, 8 << 20);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadHoarder(ContainmentKernel kernel, string name, string body, string members, out ProtectionDomain hoarder)
    {
        hoarder = kernel.Load("hoarder", ExtensionSource.Build(ContainmentKernel.Handler("Hoarder", 2, body, members), "hoarder-" + name));
        return new WeakReference(hoarder.LoadContext);
    }
}
