using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu.Jit;

/// <summary>
/// The compiled code of a region, bound to the interpreter it runs on: runs from <paramref name="pc"/> (the region's head, at its frame's head offset)
/// with at most <paramref name="left"/> instructions; <paramref name="retiredBase"/> is the hart's retired count at
/// entry (for the cycle and instret CSRs). Reads and writes the register file <paramref name="regs"/> (guest
/// registers live in locals in between, written back at every exit), sets its pc, and returns the instructions
/// retired, or their complement after a trap recorded in the interpreter (pc on the trapping
/// instruction). Returning 0 means no progress: the caller interprets the head block instead.
/// </summary>
internal unsafe delegate long RegionCode(RegisterFile* regs, ulong pc, long left, ulong retiredBase);

/// <summary>
/// One compiled region: the instructions of one frame reachable from <see cref="Head"/> within the frame (through
/// fall-through, branches and jal), as one method. Keeps a copy of the bytes it was compiled from
/// (<see cref="Start"/> .. Start + Bytes.Length) to be compared with memory once per code epoch, and the pinned
/// decoded instructions its helper calls point to. Position-independent: it serves every virtual mapping of its frame.
/// </summary>
internal sealed class Region(uint frame, int head, int start, byte[] bytes, ulong epoch, int instructions)
{
    /// <summary>Index + 1 in the cache's table (0 until added).</summary>
    public int Id;
    /// <summary>The cache generation the region was requested in; a region from an older one is dropped.</summary>
    public int Generation;
    public uint Frame { get; } = frame;
    /// <summary>Byte offset of the region's first instruction in its frame.</summary>
    public int Head { get; } = head;
    public int Start { get; } = start;
    public byte[] Bytes { get; } = bytes;
    /// <summary>The code epoch in which <see cref="Bytes"/> were last found equal to memory (hart thread only).</summary>
    public ulong Epoch = epoch;
    public int Instructions { get; } = instructions;
    public RegionCode Code = null!;
    /// <summary>Decoded instructions handed to the interpreter's helpers by address; pinned, alive with the region.</summary>
    public Decoded[] Pinned = [];

    /// <summary>True if the frame whose bytes are at <paramref name="frameHost"/> still holds the region's code.</summary>
    public unsafe bool Matches(byte* frameHost) =>
        new ReadOnlySpan<byte>(frameHost + Start, Bytes.Length).SequenceEqual(Bytes);
}
