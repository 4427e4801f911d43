using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Translation;

/// <summary>fork by copy-on-write: AddressSpace.ForkCopyOnWrite and the ways a write breaks the sharing.</summary>
public sealed class CopyOnWriteTests : IDisposable
{
    private const ulong P = PhysicalMemory.PageSize;
    private const ulong Data = 0x20000, Code = 0x10000;
    private readonly PhysicalMemory _memory = new(64);
    private readonly FrameAllocator _frames;

    public CopyOnWriteTests() => _frames = new FrameAllocator(_memory);
    public void Dispose() => _memory.Dispose();

    private static byte[] Bytes(int n, byte v) => Enumerable.Repeat(v, n).ToArray();

    private static byte Peek(AddressSpace s, ulong va)
    {
        var b = new byte[1];
        Assert.True(s.CopyIn(va, b));
        return b[0];
    }

    private static uint FrameOf(AddressSpace s, ulong va)
    {
        Assert.True(s.PageTable.TryGet(va, out var e));
        return e.Frame;
    }

    [Fact]
    public void ForkSharesEveryFrameWithoutAllocating()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Data, 3 * P, PageRights.ReadWrite));
        Assert.True(parent.MapAnonymous(Code, P, PageRights.ReadExecute));
        uint free = _frames.FreeFrames;
        using var child = parent.ForkCopyOnWrite();
        Assert.Equal(free, _frames.FreeFrames);
        foreach (ulong va in new[] { Data, Data + P, Data + 2 * P, Code })
        {
            Assert.Equal(FrameOf(parent, va), FrameOf(child, va));
            Assert.Equal(2, _frames.RefCount(FrameOf(parent, va)));
            Assert.True(child.PageTable.TryGet(va, out var e));
            Assert.True(e.CopyOnWrite);
            Assert.Equal(PageRights.None, e.Rights & PageRights.Write);   // the MMU may not write it
        }
        Assert.True(parent.TryGetRights(Data, out var granted));
        Assert.Equal(PageRights.ReadWrite, granted);                        // but the write is still granted
        Assert.True(parent.TryGetRights(Code, out granted));
        Assert.Equal(PageRights.ReadExecute, granted);
    }

    [Fact]
    public void CopyOutBreaksSharingAndTheSpacesDiverge()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Data, 2 * P, PageRights.ReadWrite));
        Assert.True(parent.CopyOut(Data, Bytes(2 * (int)P, 0x11)));
        using var child = parent.ForkCopyOnWrite();
        uint shared = FrameOf(parent, Data), free = _frames.FreeFrames;

        Assert.True(child.CopyOut(Data + 5, [0x22]));
        Assert.Equal(free - 1, _frames.FreeFrames);                 // one private copy
        Assert.NotEqual(shared, FrameOf(child, Data));
        Assert.Equal(shared, FrameOf(parent, Data));
        Assert.Equal(1, _frames.RefCount(shared));
        Assert.Equal(0x22, Peek(child, Data + 5));
        Assert.Equal(0x11, Peek(child, Data + 6));                  // the copy kept the rest of the page
        Assert.Equal(0x11, Peek(parent, Data + 5));
        Assert.Equal(FrameOf(parent, Data + P), FrameOf(child, Data + P)); // the untouched page is still shared

        // The parent is now the last sharer of its page: writing re-enables write on the same frame.
        Assert.True(parent.CopyOut(Data, [0x33]));
        Assert.Equal(shared, FrameOf(parent, Data));
        Assert.Equal(free - 1, _frames.FreeFrames);
        Assert.True(parent.PageTable.TryGet(Data, out var e));
        Assert.False(e.CopyOnWrite);
        Assert.Equal(PageRights.ReadWrite, e.Rights);
        Assert.Equal(0x11, Peek(child, Data));
    }

    [Fact]
    public void CopyOutStillNeedsTheGrantedWrite()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Code, P, PageRights.ReadExecute));
        using var child = parent.ForkCopyOnWrite();
        Assert.False(child.CopyOut(Code, [1]));                     // copy-on-write never grants a write
        Assert.False(child.TryBreakCopyOnWrite(Code));
        Assert.Equal(FrameOf(parent, Code), FrameOf(child, Code));
        Assert.True(child.Poke(Code, [7]));                         // the loader's write gets a private copy
        Assert.Equal(7, Peek(child, Code));
        Assert.Equal(0, Peek(parent, Code));
    }

    [Fact]
    public void ProtectKeepsTheWriteDeferredWhileShared()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Data, P, PageRights.Read));
        using var child = parent.ForkCopyOnWrite();
        Assert.True(child.Protect(Data, P, PageRights.ReadWrite));
        Assert.True(child.PageTable.TryGet(Data, out var e));
        Assert.Equal(PageRights.Read, e.Rights);
        Assert.True(child.TryGetRights(Data, out var granted));
        Assert.Equal(PageRights.ReadWrite, granted);
        Assert.True(child.CopyOut(Data, [9]));
        Assert.Equal(0, Peek(parent, Data));
    }

    [Fact]
    public unsafe void HartWriteFaultsUntilTheSharingIsBroken()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Code, P, PageRights.ReadExecute));
        Assert.True(parent.Poke(Code, [0x23, 0x30, 0x55, 0x00, 0x73, 0x00, 0x10, 0x00]));   // sd t0, 0(a0); ebreak
        Assert.True(parent.MapAnonymous(Data, P, PageRights.ReadWrite));
        using var child = parent.ForkCopyOnWrite();
        var hart = new Hart(_memory) { PageTable = child.PageTable };
        hart.Registers.Pc = Code;
        hart.Registers.X[10] = Data;
        hart.Registers.X[5] = 0x0102030405060708;

        var trap = hart.Run(100);
        Assert.Equal(TrapCause.PageFault, trap.Cause);
        Assert.Equal(AccessKind.Write, trap.Access);
        Assert.Equal(Data, trap.Address);
        Assert.True(child.TryBreakCopyOnWrite(trap.Address));
        trap = hart.Run(100);                                        // the store runs again, on the copy
        Assert.Equal(TrapCause.Breakpoint, trap.Cause);
        Assert.Equal(0x08, Peek(child, Data));
        Assert.Equal(0, Peek(parent, Data));
    }

    [Fact]
    public void NoFrameLeaksWhicheverSpaceExitsFirst()
    {
        uint initial = _frames.FreeFrames;
        foreach (bool parentFirst in new[] { true, false })
        {
            var parent = new AddressSpace(_frames);
            Assert.True(parent.MapAnonymous(Data, 4 * P, PageRights.ReadWrite));
            var child = parent.ForkCopyOnWrite();
            var grandchild = child.ForkCopyOnWrite();
            Assert.True(child.CopyOut(Data, [1]));
            Assert.True(grandchild.CopyOut(Data + P, [2]));
            Assert.True(parent.CopyOut(Data + 2 * P, [3]));
            (parentFirst ? parent : grandchild).Dispose();
            child.Dispose();
            (parentFirst ? grandchild : parent).Dispose();
            Assert.Equal(initial, _frames.FreeFrames);
        }
    }

    [Fact]
    public void BreakingFailsCleanlyWhenMemoryIsExhausted()
    {
        using var parent = new AddressSpace(_frames);
        Assert.True(parent.MapAnonymous(Data, P, PageRights.ReadWrite));
        using var child = parent.ForkCopyOnWrite();
        using var hog = new AddressSpace(_frames);
        Assert.True(hog.MapAnonymous(0x100000, _frames.FreeFrames * P, PageRights.Read));
        Assert.False(child.CopyOut(Data, [1]));
        Assert.False(child.TryBreakCopyOnWrite(Data));
        Assert.Equal(FrameOf(parent, Data), FrameOf(child, Data));
        Assert.Equal(2, _frames.RefCount(FrameOf(parent, Data)));
    }

    [Fact]
    public void RandomWritesMatchAPrivateCopyModel()
    {
        var rng = new Random(4);
        uint initial = _frames.FreeFrames;
        var spaces = new List<AddressSpace> { new(_frames) };
        Assert.True(spaces[0].MapAnonymous(Data, 4 * P, PageRights.ReadWrite));
        var model = new List<byte[]> { new byte[4 * P] };
        for (int step = 0; step < 400; step++)
        {
            int who = rng.Next(spaces.Count);
            if (rng.Next(8) == 0 && spaces.Count < 6)
            {
                spaces.Add(spaces[who].ForkCopyOnWrite());
                model.Add((byte[])model[who].Clone());
                continue;
            }
            int off = rng.Next(4 * (int)P);
            byte v = (byte)rng.Next(256);
            Assert.True(spaces[who].CopyOut(Data + (ulong)off, [v]));
            model[who][off] = v;
        }
        for (int i = 0; i < spaces.Count; i++)
        {
            var actual = new byte[4 * P];
            Assert.True(spaces[i].CopyIn(Data, actual));
            Assert.Equal(model[i], actual);
        }
        foreach (var s in spaces) s.Dispose();
        Assert.Equal(initial, _frames.FreeFrames);
    }
}
