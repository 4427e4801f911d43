using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Tests.Cpu;

/// <summary>
/// A hart over a small physical memory with code at <see cref="Code"/> (4 pages, RX) and data at
/// <see cref="Data"/> (4 pages, RW), run by the execution engine named in the constructor. Frames are handed out
/// sequentially.
/// </summary>
internal sealed unsafe class TestMachine : IDisposable
{
    public const ulong Code = 0x10000;
    public const ulong Data = 0x40000;

    public readonly PhysicalMemory Memory = new(64);
    public readonly PageTable Table = new();
    public readonly Hart Hart;
    private uint _nextFrame = 1;

    public TestMachine(string engine)
    {
        Hart = new Hart(Memory, EachEngineAttribute.Engine(engine));
        for (int i = 0; i < 4; i++) Map(Code + (ulong)i * 4096, PageRights.ReadExecute);
        for (int i = 0; i < 4; i++) Map(Data + (ulong)i * 4096, PageRights.ReadWrite);
        Hart.PageTable = Table;
        Hart.Registers.Pc = Code;
    }

    /// <summary>Maps va to a fresh frame; returns the frame.</summary>
    public uint Map(ulong va, PageRights rights)
    {
        uint frame = _nextFrame++;
        Table.Map(va, frame, rights);
        return frame;
    }

    /// <summary>Writes bytes at a mapped virtual address through physical memory (as the kernel does).</summary>
    public void Poke(ulong va, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            ulong a = va + (ulong)i;
            Assert.True(Table.TryGet(a, out PageTableEntry e), $"0x{a:x} not mapped");
            Memory.Frame(e.Frame)[(int)(a & 0xFFF)] = bytes[i];
        }
    }

    public byte[] Peek(ulong va, int count)
    {
        var result = new byte[count];
        for (int i = 0; i < count; i++)
        {
            ulong a = va + (ulong)i;
            Assert.True(Table.TryGet(a, out PageTableEntry e), $"0x{a:x} not mapped");
            result[i] = Memory.Frame(e.Frame)[(int)(a & 0xFFF)];
        }
        return result;
    }

    public void Poke64(ulong va, ulong v) => Poke(va, BitConverter.GetBytes(v));
    public ulong Peek64(ulong va) => BitConverter.ToUInt64(Peek(va, 8));

    public ref ulong X(int i) => ref Hart.Registers.X[i];
    public ref ulong F(int i) => ref Hart.Registers.F[i];

    /// <summary>Loads the program at <see cref="Code"/>, followed by an ebreak, and runs it to the ebreak.</summary>
    public void RunToBreak(Snippet p, long budget = 1_000_000)
    {
        p.I(Asm.Ebreak());
        Poke(Code, p.ToArray());
        Hart.Registers.Pc = Code;
        Trap t = Hart.Run(budget);
        Assert.Equal(TrapCause.Breakpoint, t.Cause);
        Assert.Equal(Code + (ulong)p.Length - 4, t.Pc);
    }

    /// <summary>Runs the single instruction bits at <see cref="Code"/> and returns the trap after it.</summary>
    public Trap Step(params uint[] words)
    {
        Poke(Code, new Snippet().I(words).ToArray());
        Hart.Registers.Pc = Code;
        return Hart.Run(words.Length);
    }

    public void Dispose() => Memory.Dispose();
}
