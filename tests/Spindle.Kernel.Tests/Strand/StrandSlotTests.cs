using Spindle.Kernel.Strand;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

/// <summary>Strand-local storage is per slot: one domain's slot never shows or overwrites another's value, even after a revocation reuses its index.</summary>
public sealed class StrandSlotTests
{
    private sealed class Thread1;
    private sealed class Thread2;

    [Fact]
    public void ASlotSeesOnlyItsOwnValue()
    {
        var mine = StrandSlots.Create<Thread1>("personality");
        var theirs = StrandSlots.Create<Thread1>("intruder");
        var values = new SlotValues();
        var value = new Thread1();
        values.Set(mine, value);
        Assert.Same(value, values.Get(mine));
        Assert.Null(values.Get(theirs));
        values.Set(theirs, new Thread1());
        Assert.Same(value, values.Get(mine));
        StrandSlots.Revoke(mine);
        StrandSlots.Revoke(theirs);
    }

    [Fact]
    public void ARevokedSlotReadsNothing_RefusesWrites_AndItsReusedIndexShowsNothing()
    {
        var old = StrandSlots.Create<Thread1>("destroyed");
        var values = new SlotValues();
        values.Set(old, new Thread1());
        StrandSlots.Revoke(old);
        Assert.Null(values.Get(old));
        Assert.Throws<StrandException>(() => values.Set(old, new Thread1()));
        var next = StrandSlots.Create<Thread2>("next");
        Assert.Null(values.Get(next));                 // whatever index it took, the old entry is not its own
        StrandSlots.Revoke(next);
    }

    [Fact]
    public void AValueOfAnotherTypeIsRefused()
    {
        StrandSlot slot = StrandSlots.Create<Thread1>("typed");
        var values = new SlotValues();
        Assert.Throws<StrandException>(() => values.Set(slot, new Thread2()));
        StrandSlots.Revoke(slot);
    }

    [Fact]
    public void ADomainHoldsAFewSlots_AndDestroyingItRevokesThem()
    {
        var linker = new Spindle.Kernel.Domain.Linker(new Spindle.Kernel.Dispatcher.Dispatcher());
        var domain = linker.CreateKernelDomain("slots");
        var service = new Spindle.Kernel.Extensions.DomainStrandService(null!, domain);
        var slots = Enumerable.Range(0, Spindle.Kernel.Extensions.DomainStrandService.MaxSlots).Select(i => service.CreateSlot<Thread1>($"s{i}")).ToList();
        Assert.Throws<StrandException>(() => service.CreateSlot<Thread1>("one too many"));
        Assert.All(slots, s => Assert.False(s.Revoked));
        linker.Destroy(domain);
        Assert.All(slots, s => Assert.True(s.Revoked));
    }
}
