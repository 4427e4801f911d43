using FsCheck;
using FsCheck.Fluent;
using Spindle.Kernel.Capability;
using Spindle.Sdk.Capability;

namespace Spindle.Kernel.Tests.Capability;

public class ExternTableTests
{
    [Fact]
    public void HandlesAreSmallTypeCheckedAndRevocable()
    {
        var table = new ExternTable();
        int a = table.Externalize("a");
        int b = table.Externalize(new List<int>());
        Assert.Equal([1, 2], new[] { a, b });
        Assert.Equal("a", table.Get<string>(a));
        Assert.Equal(CapabilityError.WrongType, table.TryGet<string>(b, out _));
        Assert.Equal(CapabilityError.None, table.Revoke(a));
        Assert.Equal(CapabilityError.Revoked, table.TryGet<string>(a, out _));
        Assert.Equal(CapabilityError.Revoked, table.Revoke(a));
        Assert.Equal(CapabilityError.Revoked, Assert.Throws<CapabilityException>(() => table.Get<string>(a)).Error);
    }

    [Fact]
    public void ReusedSlotNeverAnswersTheStaleNumber()
    {
        var table = new ExternTable();
        int old = table.Externalize("old");
        table.Revoke(old);
        int fresh = table.Externalize("fresh");
        Assert.Equal(old & 0xFFFF, fresh & 0xFFFF);            // same slot
        Assert.NotEqual(old, fresh);                             // new generation
        Assert.Equal(CapabilityError.Revoked, table.TryGet<string>(old, out _));
        Assert.Equal("fresh", table.Get<string>(fresh));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(5)]
    [InlineData(1 << 16 | 1)]
    [InlineData(int.MaxValue)]
    public void ForgedNumbersAreInvalid(int forged)
    {
        var table = new ExternTable();
        table.Externalize("x");
        Assert.Equal(CapabilityError.Invalid, table.TryGet<object>(forged, out _));
        Assert.Equal(CapabilityError.Invalid, table.Revoke(forged));
    }

    [Fact]
    public void FullTableSaysSo()
    {
        var table = new ExternTable(capacity: 2);
        table.Externalize(1);
        table.Externalize(2);
        Assert.False(table.TryExternalize(3, null, out _));
        Assert.Equal(CapabilityError.Full, Assert.Throws<CapabilityException>(() => table.Externalize(3)).Error);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExternTable(0));
        Assert.Throws<ArgumentNullException>(() => table.Externalize(null!));
    }

    [Fact]
    public void SlotIsRetiredBeforeItsGenerationWraps()
    {
        var table = new ExternTable(capacity: 1);
        int first = table.Externalize("v");
        int last = first, reissued = 0;
        while (true)
        {
            table.Revoke(last);
            if (!table.TryExternalize("v", null, out var next)) break;
            Assert.NotEqual(last, next);
            last = next;
            reissued++;
        }
        Assert.Equal((1 << 15) - 1, reissued);                   // every positive generation used once, then retired
        Assert.Equal(0, table.Count);
        Assert.Equal(CapabilityError.Revoked, table.TryGet<string>(first, out _));
        Assert.Equal(CapabilityError.Revoked, table.TryGet<string>(last, out _));
    }

    [Fact]
    public void OwnerRevocationLeavesOthersAlone()
    {
        var table = new ExternTable();
        var owner = new object();
        var view = table.ViewFor(owner);
        int mine = view.Externalize("mine");
        int theirs = table.Externalize("theirs");
        Assert.Equal(1, table.RevokeOwnedBy(owner));
        Assert.Equal(CapabilityError.Revoked, view.TryGet<string>(mine, out _));
        Assert.Equal("theirs", table.Get<string>(theirs));
    }

    // Operations of a random sequence: externalize a fresh object, use or revoke a number once issued, use a forged number.
    public enum Op { Add, Get, Revoke, Forge }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool RandomSequencesNeverYieldAnotherObject((Op, int)[] script)
    {
        var table = new ExternTable(capacity: 8);
        var live = new Dictionary<int, object>();
        var issued = new List<int>();
        foreach (var (op, n) in script)
        {
            int pick = issued.Count == 0 ? 0 : issued[(n & int.MaxValue) % issued.Count];
            switch (op)
            {
                case Op.Add:
                    var value = new object();
                    if (table.TryExternalize(value, null, out int h))
                    {
                        if (issued.Contains(h)) return false;        // a number is never issued twice
                        live[h] = value;
                        issued.Add(h);
                    }
                    else if (live.Count < 8) return false;
                    break;
                case Op.Get:
                    var error = table.TryGet<object>(pick, out var got);
                    if (live.TryGetValue(pick, out var expected) ? error != CapabilityError.None || !ReferenceEquals(got, expected)
                        : error == CapabilityError.None) return false;
                    break;
                case Op.Revoke:
                    var revoked = table.Revoke(pick);
                    if ((revoked == CapabilityError.None) != live.Remove(pick)) return false;
                    break;
                case Op.Forge:
                    if (!issued.Contains(n) && table.TryGet<object>(n, out _) != CapabilityError.Invalid) return false;
                    break;
            }
            if (table.Count != live.Count) return false;
        }
        return true;
    }
}
