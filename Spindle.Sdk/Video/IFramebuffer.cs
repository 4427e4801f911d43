using Spindle.Sdk.PhysAddr;

namespace Spindle.Sdk.Video;

/// <summary>
/// The machine's frame buffer as extensions see it (exported when the system has one): <see cref="Height"/> rows of
/// <see cref="Stride"/> bytes, 32-bit pixels in XRGB8888 little-endian order (bytes blue, green, red, unused), as
/// Linux's fbdev describes a 32-bit true-colour mode. A video client writes frames straight into it; the
/// personality maps <see cref="Frames"/> into a program that opens /dev/fb0.
/// <para>Contract: the CPU's thread. Results are 0 or a negated errno.</para>
/// </summary>
public interface IFramebuffer
{
    /// <summary>Pixels per row.</summary>
    int Width { get; }

    /// <summary>Rows.</summary>
    int Height { get; }

    /// <summary>Bytes from one row to the next.</summary>
    int Stride { get; }

    /// <summary>Copies <paramref name="pixels"/> to byte <paramref name="offset"/> of the buffer; -EINVAL (nothing written) if out of range.</summary>
    int Write(long offset, ReadOnlySpan<byte> pixels);

    /// <summary>Copies bytes from <paramref name="offset"/> into <paramref name="pixels"/>; -EINVAL if out of range.</summary>
    int Read(long offset, Span<byte> pixels);

    /// <summary>The pinned frames holding the pixels, in order (what a mapping of the buffer maps).</summary>
    IReadOnlyList<PhysFrame> Frames { get; }
}
