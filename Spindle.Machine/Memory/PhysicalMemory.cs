using System.Runtime.InteropServices;

namespace Spindle.Machine.Memory;

/// <summary>
/// The machine's physical memory: one native allocation cut into 4 KiB frames.
/// The machine does not decide who owns a frame; the kernel's PhysAddr service does.
/// The allocation is calloc'd, so a large one is fresh anonymous memory that the host commits page by page as it
/// is first touched: a program that uses little memory costs little resident memory, and start-up clears nothing.
/// </summary>
public sealed unsafe class PhysicalMemory : IDisposable
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;
    public const ulong PageMask = PageSize - 1;

    private byte* _base;            // the first frame: _allocation rounded up to a page
    private void* _allocation;

    /// <summary>Allocates <paramref name="frameCount"/> zeroed frames.</summary>
    public PhysicalMemory(uint frameCount)
    {
        if (frameCount == 0) throw new ArgumentOutOfRangeException(nameof(frameCount));
        FrameCount = frameCount;
        nuint bytes = (nuint)frameCount * PageSize;
        _allocation = NativeMemory.AllocZeroed(bytes + PageSize);
        _base = (byte*)(((nuint)_allocation + PageMask) & ~(nuint)PageMask);
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
        if (_allocation != null) { NativeMemory.Free(_allocation); _allocation = null; _base = null; }
    }
}
