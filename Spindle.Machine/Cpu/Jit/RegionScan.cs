using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu.Jit;

/// <summary>
/// The shape of a region: the instructions of one frame snapshot reachable from a head offset without leaving the
/// frame, through fall-through, conditional branches (both ways), jal, and from a call (jal or jalr linking ra or t0)
/// to its return site; jalr, ecall, ebreak, fence.i and illegal instructions end a path, as do an instruction crossing the frame's end and the size limit. Decoded exactly as
/// the interpreter's blocks are (<see cref="Decoder"/>, <see cref="Block.DropWritesToZero"/>).
/// </summary>
internal static class RegionScan
{
    /// <summary>Most instructions in one region compiled in the background (compile time grows with it: about
    /// 25 us per instruction).</summary>
    public const int MaxInstructions = 384;

    /// <summary>Most instructions in one region compiled on the spot (threshold 0), which the hart waits for.</summary>
    public const int MaxInstructionsForced = 48;

    /// <summary>The region's instructions by byte offset, ascending (overlapping decodings of the same bytes may
    /// both appear), at most <paramref name="max"/>.</summary>
    public static SortedList<int, Decoded> Scan(ReadOnlySpan<byte> page, int head, int max)
    {
        var found = new SortedList<int, Decoded>();
        var work = new Stack<int>();
        work.Push(head);
        while (work.Count > 0 && found.Count < max)
        {
            int o = work.Pop();
            if (found.ContainsKey(o) || !TryDecode(page, o, out Decoded d)) continue;
            found.Add(o, d);
            int next = o + d.Len;
            switch (d.Op)
            {
                case Op.Beq or Op.Bne or Op.Blt or Op.Bge or Op.Bltu or Op.Bgeu:
                    Push(work, o + d.Imm);
                    Push(work, next);       // popped first: the straight line is taken before the branch target
                    break;
                case Op.Jal or Op.Jalr when d.Rd is 1 or 5:    // a call: its return site too (returns are predicted)
                    Push(work, next);
                    if (d.Op == Op.Jal) Push(work, o + d.Imm);
                    break;
                case Op.Jal: Push(work, o + d.Imm); break;
                case Op.Jalr or Op.Ecall or Op.Ebreak or Op.FenceI or Op.Illegal: break;
                default: Push(work, next); break;
            }
        }
        return found;
    }

    /// <summary>True if <paramref name="o"/> is a byte offset inside a frame.</summary>
    public static bool InFrame(long o) => o >= 0 && o < PhysicalMemory.PageSize;

    private static void Push(Stack<int> work, long o)
    {
        if (InFrame(o)) work.Push((int)o);
    }

    // Decodes the instruction at o as CodePage.Build does; false if it crosses the frame's end.
    private static bool TryDecode(ReadOnlySpan<byte> page, int o, out Decoded d)
    {
        d = default;
        uint w = BitConverter.ToUInt16(page[o..]);
        if ((w & 3) == 3)
        {
            if (o + 4 > page.Length) return false;
            w = BitConverter.ToUInt32(page[o..]);
        }
        d = Decoder.Decode(w);
        Block.DropWritesToZero(ref d);
        return true;
    }
}
