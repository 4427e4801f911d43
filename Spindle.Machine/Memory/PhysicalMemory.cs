using System.Runtime.InteropServices;

namespace Spindle.Machine.Memory;

/// <summary>
/// The machine's physical memory: one native allocation cut into 4 KiB frames.
/// The machine does not decide who owns a frame; the kernel's PhysAddr service does.
/// </summary>
public sealed unsafe class PhysicalMemory : IDisposable
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;
    public const ulong PageMask = PageSize - 1;

    private byte* _base;

    /// <summary>Allocates <paramref name="frameCount"/> zeroed frames.</summary>
    public PhysicalMemory(uint frameCount)
    {
        if (frameCount == 0) throw new ArgumentOutOfRangeException(nameof(frameCount));
        FrameCount = frameCount;
        nuint bytes = (nuint)frameCount * PageSize;
        _base = (byte*)NativeMemory.AlignedAlloc(bytes, PageSize);
        NativeMemory.Clear(_base, bytes);
    }

    /// <summary>Number of frames.</summary>
    public uint FrameCount { get; }

    /// <summary>Host address of the first byte of <paramref name="frame"/>. Caller passes a valid frame.</summary>
    public byte* FramePointer(uint frame)
    {
        if (frame >= FrameCount) ThrowBadFrame(frame);
        return _base + ((nuint)frame << PageShift);
    }

    /// <summary>The bytes of one frame.</summary>
    public Span<byte> Frame(uint frame) => new(FramePointer(frame), PageSize);

    private void ThrowBadFrame(uint frame) =>
        throw new ArgumentOutOfRangeException(nameof(frame), $"frame {frame} outside physical memory of {FrameCount} frames");

    public void Dispose()
    {
        if (_base != null) { NativeMemory.AlignedFree(_base); _base = null; }
    }
}
