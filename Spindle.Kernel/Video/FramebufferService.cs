using Spindle.Kernel.PhysAddr;
using Spindle.Machine.Devices;
using Spindle.Sdk.Io;
using Spindle.Sdk.PhysAddr;
using Spindle.Sdk.Video;

namespace Spindle.Kernel.Video;

/// <summary>
/// The frame buffer device and the SDK's <see cref="IFramebuffer"/> over it: pinned frames from the PhysAddr
/// service (never reclaimed), handed to the device at boot. Contract: made once by the system builder, before any
/// extension is linked; the CPU's thread afterwards.
/// </summary>
public sealed class FramebufferService : IFramebuffer
{
    private readonly PhysFrame[] _frames;

    private FramebufferService(Framebuffer device, PhysFrame[] frames)
    {
        Device = device;
        _frames = frames;
    }

    /// <summary>Allocates pinned frames for a <paramref name="width"/> × <paramref name="height"/> buffer and makes the device; null if memory is short.</summary>
    public static FramebufferService? Create(PhysAddrService physAddr, Machine.Memory.PhysicalMemory memory, int width, int height)
    {
        var frames = physAddr.Allocate(Framebuffer.FramesFor(width, height), FrameAttributes.Pinned);
        if (frames == null) return null;
        var numbers = new uint[frames.Count];
        for (int i = 0; i < numbers.Length; i++) numbers[i] = ((Frame)frames[i]).Number;
        return new FramebufferService(new Framebuffer(memory, numbers, width, height), [.. frames]);
    }

    /// <summary>The device (what a snapshot reads).</summary>
    public Framebuffer Device { get; }

    public int Width => Device.Width;
    public int Height => Device.Height;
    public int Stride => Device.Stride;
    public IReadOnlyList<PhysFrame> Frames => _frames;
    public int Write(long offset, ReadOnlySpan<byte> pixels) => Device.Write(offset, pixels) ? 0 : -Errno.EINVAL;
    public int Read(long offset, Span<byte> pixels) => Device.Read(offset, pixels) ? 0 : -Errno.EINVAL;
}
