using System.Diagnostics;
using Spindle.Machine.Devices;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Tests.Devices;

/// <summary>The frame buffer over scattered machine frames, and its PNG snapshot read back by ffmpeg (a decoder nobody here wrote).</summary>
public sealed class FramebufferTests : IDisposable
{
    private readonly PhysicalMemory _memory = new(256);

    public void Dispose() => _memory.Dispose();

    // 100x30 pixels: 12,000 bytes over three frames given out of order.
    private Framebuffer Make() => new(_memory, [200, 7, 100], 100, 30);

    [Fact]
    public void WritesCrossFrameBoundariesAndLandInTheGivenFrames()
    {
        var fb = Make();
        Assert.Equal((100, 30, 400, 12000), (fb.Width, fb.Height, fb.Stride, fb.Size));
        var data = new byte[9000];
        new Random(1).NextBytes(data);
        Assert.True(fb.Write(3000, data));
        var back = new byte[9000];
        Assert.True(fb.Read(3000, back));
        Assert.Equal(data, back);
        Assert.Equal(data[1096], _memory.Frame(7)[0]);          // byte 4096 of the buffer is frame 7's first
        Assert.Equal(data[5192], _memory.Frame(100)[0]);        // byte 8192: frame 100's first
    }

    [Theory]
    [InlineData(-1L, 1)]
    [InlineData(11999L, 2)]
    [InlineData(12000L, 1)]
    [InlineData(long.MaxValue, 1)]
    public void OutOfRangeIsRefusedAndWritesNothing(long offset, int length)
    {
        var fb = Make();
        Assert.False(fb.Write(offset, new byte[length]));
        Assert.False(fb.Read(offset, new byte[length]));
        Assert.Throws<ArgumentException>(() => new Framebuffer(_memory, [1, 2], 100, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Framebuffer(_memory, [1], 0, 1));
    }

    [Fact]
    public void ThePngIsThePictureAsFfmpegDecodesIt()
    {
        var fb = Make();
        var pixels = new byte[fb.Size];
        new Random(2).NextBytes(pixels);
        fb.Write(0, pixels);
        string png = Path.Combine(Path.GetTempPath(), $"spindle-fb-{Guid.NewGuid():N}.png");
        try
        {
            PngSnapshot.Save(fb, png);
            var psi = new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            using var rgb = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(rgb);
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, error);
            var decoded = rgb.ToArray();
            Assert.Equal(100 * 30 * 3, decoded.Length);
            for (int i = 0; i < 100 * 30; i++)
                Assert.Equal((pixels[4 * i + 2], pixels[4 * i + 1], pixels[4 * i]), (decoded[3 * i], decoded[3 * i + 1], decoded[3 * i + 2]));
        }
        finally { File.Delete(png); }
    }
}
