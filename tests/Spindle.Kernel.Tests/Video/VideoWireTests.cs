using Spindle.Sdk.Video;

namespace Spindle.Kernel.Tests.Video;

/// <summary>The video stream's packet header: written and read back, and every lying header refused.</summary>
public sealed class VideoWireTests
{
    private static byte[] Packet(uint frame, int width, int height, int first, int rows, int? pixelBytes = null)
    {
        var p = new byte[VideoWire.HeaderBytes + (pixelBytes ?? rows * width * 4)];
        VideoWire.Write(p, frame, width, height, first, rows);
        return p;
    }

    [Fact]
    public void AHeaderReadsBackAndAPacketFitsOneFrame()
    {
        Assert.True(VideoWire.TryRead(Packet(77, 160, 120, 116, 2), out uint frame, out int w, out int h, out int first, out int rows));
        Assert.Equal((77u, 160, 120, 116, 2), (frame, w, h, first, rows));
        Assert.Equal(2, VideoWire.RowsPerPacket(160));
        Assert.Equal(1, VideoWire.RowsPerPacket(4000));            // a row wider than a packet still goes, one per packet
        Assert.True(VideoWire.HeaderBytes + 2 * 160 * 4 <= VideoWire.MaxPayload + VideoWire.HeaderBytes);
    }

    [Fact]
    public void LyingHeadersAreRefused()
    {
        Assert.False(VideoWire.TryRead(Packet(0, 160, 120, 119, 2), out _, out _, out _, out _, out _));          // rows past the frame
        Assert.False(VideoWire.TryRead(Packet(0, 160, 120, 0, 2, pixelBytes: 100), out _, out _, out _, out _, out _));  // short
        Assert.False(VideoWire.TryRead(Packet(0, 160, 120, 0, 2, pixelBytes: 2000), out _, out _, out _, out _, out _)); // long
        Assert.False(VideoWire.TryRead(Packet(0, 0, 120, 0, 1, pixelBytes: 0), out _, out _, out _, out _, out _));      // no width
        Assert.False(VideoWire.TryRead(Packet(0, 160, 120, 0, 0), out _, out _, out _, out _, out _));                   // no rows
        var bad = Packet(0, 160, 120, 0, 1);
        bad[0] ^= 1;
        Assert.False(VideoWire.TryRead(bad, out _, out _, out _, out _, out _));
        Assert.False(VideoWire.TryRead(new byte[15], out _, out _, out _, out _, out _));
        var random = new Random(30);
        for (int i = 0; i < 100_000; i++)
        {
            var p = new byte[random.Next(0, 1500)];
            random.NextBytes(p);
            if (random.Next(2) == 0 && p.Length >= 4) { p[0] = 0x53; p[1] = 0x50; p[2] = 0x56; p[3] = 0x44; }
            if (VideoWire.TryRead(p, out _, out int w, out int h, out int first, out int rows))
                Assert.True(first + rows <= h && p.Length == VideoWire.HeaderBytes + rows * w * 4);
        }
    }
}
