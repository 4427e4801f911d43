namespace Spindle.Machine.Devices;

/// <summary>
/// A display's trait (beside <see cref="IConsoleDevice"/>, <see cref="INetworkDevice"/>, <see cref="IBlockDevice"/>):
/// a linear frame buffer of <see cref="Height"/> rows of <see cref="Stride"/> bytes, pixels 32 bits each in
/// XRGB8888 little-endian order (bytes blue, green, red, unused), as Linux's fbdev reports a 32-bit true-colour mode.
/// <para>Contract: the pixels live in machine memory (frames the kernel gave the device at boot), so a program can
/// map them and the kernel can write them; reads and writes here take any offset and length within
/// <see cref="Size"/> and cross frame boundaries. Not synchronized: the CPU's thread writes; a snapshot read from
/// another thread may see a frame half drawn, as a screen would.</para>
/// </summary>
public interface IDisplayDevice
{
    /// <summary>Pixels per row shown.</summary>
    int Width { get; }

    /// <summary>Rows.</summary>
    int Height { get; }

    /// <summary>Bytes from one row to the next.</summary>
    int Stride { get; }

    /// <summary>Bytes of the buffer (Stride × Height).</summary>
    int Size { get; }

    /// <summary>Copies pixels at <paramref name="offset"/> into <paramref name="destination"/>; false if out of range.</summary>
    bool Read(long offset, Span<byte> destination);

    /// <summary>Copies <paramref name="source"/> into the buffer at <paramref name="offset"/>; false if out of range (nothing written).</summary>
    bool Write(long offset, ReadOnlySpan<byte> source);
}
