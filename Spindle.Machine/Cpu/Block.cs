using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

/// <summary>
/// Header of a decoded basic block: a straight-line run of instructions inside one page that ends
/// at the first control transfer or trap-capable system instruction (<see cref="EndsBlock"/>), at
/// <see cref="MaxInstructions"/>, or before an instruction crossing the page end. Laid out in one
/// pinned allocation: this header, <see cref="Count"/> <see cref="Decoded"/> entries, then a copy of
/// the <see cref="Bytes"/> instruction bytes they were decoded from. The interpreter compares that
/// copy with memory before running the block in a new code epoch (see Interpreter._codeEpoch), so a block
/// can never run stale code.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 24)]
internal unsafe struct Block
{
    /// <summary>Longest block; keeps <see cref="Decoded.Off"/> within a byte.</summary>
    public const int MaxInstructions = 48;

    /// <summary>Decoded instructions, at least 1.</summary>
    public int Count;
    /// <summary>Instruction bytes covered; 0 for the interpreter's scratch block, which is never cached.</summary>
    public int Bytes;
    /// <summary>The interpreter's code epoch when the block was last found equal to memory.</summary>
    public ulong Epoch;
    /// <summary>Times a tiering engine entered the block from its dispatch loop (the compiling engine's hotness counter).</summary>
    public int Hits;
    /// <summary>The compiled region starting at this block (an index + 1 into the compiling engine's region table), or 0.</summary>
    public int Region;

    /// <summary>The first decoded instruction of block <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Decoded* First(Block* b) => (Decoded*)(b + 1);

    /// <summary>True if the code bytes at <paramref name="code"/> are still those <paramref name="b"/> was decoded from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Matches(Block* b, byte* code)
    {
        byte* copy = (byte*)(First(b) + b->Count);
        int len = b->Bytes, i = 0;
        for (; i + 8 <= len; i += 8)
            if (*(ulong*)(code + i) != *(ulong*)(copy + i)) return false;
        if (i + 4 <= len)
        {
            if (*(uint*)(code + i) != *(uint*)(copy + i)) return false;
            i += 4;
        }
        return i == len || *(ushort*)(code + i) == *(ushort*)(copy + i);
    }

    /// <summary>Bytes of the allocation holding a block of <paramref name="count"/> instructions over <paramref name="bytes"/> code bytes.</summary>
    public static int AllocationSize(int count, int bytes) => sizeof(Block) + count * sizeof(Decoded) + bytes;

    /// <summary>
    /// True if a block must end after <paramref name="d"/>: control transfers, instructions that
    /// trap or need the exact retired count, atomics, and instructions that write x0 through a path the executor does not
    /// reset (x0 is re-zeroed at every block exit).
    /// </summary>
    public static bool EndsBlock(in Decoded d) => d.Op switch
    {
        Op.Jal or Op.Jalr or Op.Beq or Op.Bne or Op.Blt or Op.Bge or Op.Bltu or Op.Bgeu => true,
        Op.Ecall or Op.Ebreak or Op.FenceI or Op.Csr or Op.Atomic or Op.Illegal => true,
        Op.Lb or Op.Lh or Op.Lw or Op.Ld or Op.Lbu or Op.Lhu or Op.Lwu or Op.Fp => d.Rd == 0,
        _ => false,
    };

    /// <summary>Rewrites a pure integer operation (no memory access, no trap) whose rd is x0 to <see cref="Op.Nop"/>.</summary>
    public static void DropWritesToZero(ref Decoded d)
    {
        bool pure = d.Op is Op.Lui or Op.Auipc || (d.Op >= Op.Addi && d.Op <= Op.Remuw);
        if (pure && d.Rd == 0) d.Op = Op.Nop;
    }
}

/// <summary>
/// The decoded blocks of one physical frame: a pinned table with one <see cref="Block"/> pointer per
/// halfword (the block starting there, or null), and the pinned allocations holding the blocks.
/// Blocks are shared by every virtual mapping of the frame (decoding never depends on the pc).
/// </summary>
internal sealed unsafe class CodePage
{
    public const int Slots = PhysicalMemory.PageSize / 2;

    // Above this many bytes of blocks (code rewritten over and over) the page starts afresh.
    private const int MaxStorage = 256 * 1024;

    private readonly nint[] _entries = GC.AllocateArray<nint>(Slots, pinned: true);
    private readonly List<byte[]> _storage = new();
    private int _stored;

    /// <summary>The block table: entry i is the block starting at byte offset 2*i, or null.</summary>
    public Block** Entries => (Block**)Unsafe.AsPointer(ref _entries[0]);

    /// <summary>
    /// Decodes the block starting at byte offset <paramref name="off"/> (even) of the frame whose
    /// bytes are at <paramref name="frame"/>, installs it in the table (replacing a stale one) and
    /// returns it. Returns null if the instruction at <paramref name="off"/> crosses the page end.
    /// Older blocks stay allocated until the page is dropped, so pointers to them stay valid.
    /// </summary>
    public Block* Build(byte* frame, int off)
    {
        Decoded* buf = stackalloc Decoded[Block.MaxInstructions];
        int count = 0, o = off;
        while (count < Block.MaxInstructions && o < PhysicalMemory.PageSize)
        {
            uint w = *(ushort*)(frame + o);
            if ((w & 3) == 3)
            {
                if (o == PhysicalMemory.PageSize - 2) break;
                w = *(uint*)(frame + o);
            }
            Decoded d = Decoder.Decode(w);
            Block.DropWritesToZero(ref d);
            Debug.Assert(o - off <= byte.MaxValue, "MaxInstructions keeps Decoded.Off within a byte");
            d.Off = (byte)(o - off);
            buf[count++] = d;
            o += d.Len;
            if (Block.EndsBlock(d)) break;
        }
        if (count == 0) return null;

        int bytes = o - off;
        Debug.Assert(bytes > 0, "a cached block covers code (only the scratch block has 0 bytes)");
        if (_stored > MaxStorage)
        {
            Array.Clear(_entries);
            _storage.Clear();
            _stored = 0;
        }
        byte[] store = GC.AllocateArray<byte>(Block.AllocationSize(count, bytes), pinned: true);
        _storage.Add(store);
        _stored += store.Length;
        Block* b = (Block*)Unsafe.AsPointer(ref store[0]);
        b->Count = count;
        b->Bytes = bytes;
        new ReadOnlySpan<Decoded>(buf, count).CopyTo(new Span<Decoded>(Block.First(b), count));
        new ReadOnlySpan<byte>(frame + off, bytes).CopyTo(new Span<byte>(Block.First(b) + count, bytes));
        Entries[off >> 1] = b;
        return b;
    }
}
