using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Kernel.VirtAddr;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.VirtAddr;

public sealed class VirtAddrServiceTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private readonly PhysicalMemory _memory = new(16);
    private readonly AddressSpace _space;
    private readonly VirtAddrService _virt = new();

    public VirtAddrServiceTests() => _space = new AddressSpace(new FrameAllocator(_memory));
    public void Dispose() { _space.Dispose(); _memory.Dispose(); }

    [Fact]
    public void RangesNeverOverlapReservationsOrMappedPages()
    {
        Assert.True(_space.MapAnonymous(0x3000, P, PageRights.Read));
        var a = _virt.Allocate(_space, 2 * P, hint: 0x1000)!;
        Assert.Equal((0x1000ul, 0x3000ul), (a.Start, a.End));
        var b = _virt.Allocate(_space, 1, hint: 0x1000)!;            // rounded to a page; skips a and the mapped page
        Assert.Equal((0x4000ul, P), (b.Start, b.Length));
        var c = _virt.Allocate(_space, 3 * P, hint: 0)!;             // never page 0
        Assert.Equal(0x5000ul, c.Start);
        Assert.Same(a, _virt.Find(_space, 0x2fff));
        Assert.Null(_virt.Find(_space, 0x3000));
        Assert.Same(c, _virt.Find(_space, c.End - 1));
        Assert.Null(_virt.AllocateAt(_space, 0x2000, P));             // reserved
        Assert.Null(_virt.AllocateAt(_space, 0x3000, P));             // mapped
        Assert.True(_virt.Deallocate(b));
        Assert.False(_virt.Deallocate(b));
        Assert.False(b.Allocated);
        Assert.Same(_virt.AllocateAt(_space, 0x4000, P), _virt.Find(_space, 0x4000));
    }

    [Fact]
    public void BadRequestsGetNull()
    {
        Assert.Null(_virt.Allocate(_space, 0));
        Assert.Null(_virt.Allocate(_space, PageTable.UserLimit));     // page 0 is never handed out
        Assert.Null(_virt.Allocate(_space, P, hint: PageTable.UserLimit));
        Assert.Null(_virt.Allocate(_space, P, hint: ulong.MaxValue));
        Assert.Null(_virt.AllocateAt(_space, 0x1001, P));
        Assert.Null(_virt.AllocateAt(_space, PageTable.UserLimit - P, 2 * P));
        Assert.Null(_virt.AllocateAt(_space, 0x1000, 0));
        Assert.NotNull(_virt.Allocate(_space, PageTable.UserLimit - P));  // everything but page 0
        Assert.Null(_virt.Allocate(_space, P));
        _space.Dispose();
        Assert.Null(_virt.Allocate(_space, P));
        Assert.Null(_virt.Find(_space, 0x1000));
    }

    [Fact]
    public void ForkCopiesReservationsAndDestroyReleasesThem()
    {
        var r = _virt.Allocate(_space, P, hint: 0x10000)!;
        using var child = _space.ForkCopyOnWrite();
        var copy = _virt.Find(child, 0x10000)!;
        Assert.NotSame(r, copy);
        Assert.Same(child, copy.Context);
        Assert.True(_virt.Deallocate(copy));
        Assert.Same(r, _virt.Find(_space, 0x10000));                  // independent per context
        _space.Dispose();
        Assert.False(r.Allocated);
        Assert.False(_virt.Deallocate(r));
    }
}
