using Spindle.Machine.Memory;

namespace Spindle.Machine.Devices;

/// <summary>
/// A linear frame buffer (<see cref="IDisplayDevice"/>) over frames of machine memory the boot code chose, in
/// order: byte <c>i</c> of the buffer is byte <c>i % 4096</c> of frame <c>frames[i / 4096]</c>. It raises no interrupt.
/// </summary>
public sealed class Framebuffer : IDisplayDevice, IDevice
{
    private readonly PhysicalMemory _memory;
    private readonly uint[] _frames;

    /// <summary>The frames a buffer of <paramref name="width"/> × <paramref name="height"/> pixels needs.</summary>
    public static int FramesFor(int width, int height) => (int)(((long)width * 4 * height + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize);

    /// <param name="memory">Machine memory.</param>
    /// <param name="frames">The frames holding the pixels, at least <see cref="FramesFor"/> of them.</param>
    /// <param name="width">Pixels per row (1..4096).</param>
    /// <param name="height">Rows (1..4096).</param>
    public Framebuffer(PhysicalMemory memory, uint[] frames, int width, int height)
    {
        if (width is < 1 or > 4096 || height is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height}: each side 1..4096");
        if (frames.Length < FramesFor(width, height)) throw new ArgumentException($"{width}x{height} needs {FramesFor(width, height)} frames", nameof(frames));
        _memory = memory;
        _frames = frames;
        Width = width;
        Height = height;
        Stride = width * 4;
    }

    public string Name => "fb0";
    public int InterruptLine => -1;
    public void Attach(InterruptLines lines) { }

    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }
    public int Size => Stride * Height;

    /// <summary>The frames holding the pixels, in order (what a mapping of the buffer maps).</summary>
    public IReadOnlyList<uint> Frames => _frames;

    public bool Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > Size - destination.Length) return false;
        while (!destination.IsEmpty)
        {
            var page = Page(offset);
            int n = Math.Min(page.Length, destination.Length);
            page[..n].CopyTo(destination);
            destination = destination[n..];
            offset += n;
        }
        return true;
    }

    public bool Write(long offset, ReadOnlySpan<byte> source)
    {
        if (offset < 0 || offset > Size - source.Length) return false;
        while (!source.IsEmpty)
        {
            var page = Page(offset);
            int n = Math.Min(page.Length, source.Length);
            source[..n].CopyTo(page);
            source = source[n..];
            offset += n;
        }
        return true;
    }

    // The bytes from offset to the end of its frame.
    private Span<byte> Page(long offset) => _memory.Frame(_frames[offset >> PhysicalMemory.PageShift])[(int)(offset & (long)PhysicalMemory.PageMask)..];
}
