using System.Security.Cryptography;
using Spindle.Kernel.Tests.Block;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Net;
using Spindle.Kernel.Video;
using Spindle.Machine.Devices;
using Spindle.Sdk.Video;

namespace Spindle.Kernel.Tests.Video;

/// <summary>
/// SPIN's video pair, end to end over an in-process wire: ffmpeg's testsrc pattern (a tool nobody here wrote) as raw
/// frames in an ext2 image mke2fs made; system A runs the in-kernel server on that disk, system B the in-kernel
/// client with a frame buffer. After B subscribes, B's frame buffer shows the source frames themselves (each
/// picture's hash is one of the source frames'), one after another.
/// </summary>
[Collection("ext2 images")]
public sealed class VideoStreamTests(TestHome home) : IClassFixture<TestHome>, IDisposable
{
    private const int Width = 160, Height = 120, Frames = 30, FrameBytes = Width * Height * 4;
    private readonly string _folder = Directory.CreateTempSubdirectory("spindle-video-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // ffmpeg's test pattern, 160x120 at 30 frames per second, one second, as BGRA (the frame buffer's XRGB8888 bytes).
    private string MakeVideoImage(out byte[] video)
    {
        string tree = Path.Combine(_folder, "disk"), image = Path.Combine(_folder, "video.img");
        Directory.CreateDirectory(tree);
        string raw = Path.Combine(tree, "video.raw");
        Ext2Images.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"testsrc=size={Width}x{Height}:rate=30", "-frames:v", Frames.ToString(),
            "-pix_fmt", "bgra", "-f", "rawvideo", raw);
        video = File.ReadAllBytes(raw);
        Assert.Equal(Frames * FrameBytes, video.Length);
        for (int i = 3; i < video.Length; i += 4) video[i] = 0;      // the server sends the bytes as they are; compare colour only
        Ext2Images.Run("mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, image, "8M");
        return image;
    }

    [Fact]
    public void TheClientsFrameBufferShowsTheServersFramesInOrder()
    {
        string image = MakeVideoImage(out byte[] video);
        var sources = new Dictionary<string, int>();
        for (int f = 0; f < Frames; f++) sources[Convert.ToHexString(SHA256.HashData(video.AsSpan(f * FrameBytes, FrameBytes)))] = f;

        using var wire = new NetWire();
        FileBlockDevice? disk = null;
        using var server = new NetNode(home.Path, wire.EndA, WireLink.MacA, "10.0.0.1/24",
            machine: kernel =>
            {
                disk = new FileBlockDevice(image, "vda", readOnly: true);
                kernel.Cache.Disks.Add(disk);
                disk.Attach(kernel.Lines);
            },
            before: ["Fs/Ext2"], applications: ["Apps/VideoServer"]);
        using var client = new NetNode(home.Path, wire.EndB, WireLink.MacB, "10.0.0.2/24",
            machine: kernel => kernel.Framebuffer = FramebufferService.Create(kernel.PhysAddr, kernel.Memory, Width, Height),
            applications: ["Apps/VideoClient"]);
        try
        {
            // The first send only asks ARP for the server's card (the stack keeps no datagram waiting): send until one goes.
            Assert.True(NetNode.PumpUntil(server, client, () => client.SendUdp(WireLink.IpA, VideoWire.ClientPort, VideoWire.ServerPort, VideoWire.Subscribe)));
            var screen = client.Kernel.Framebuffer!.Device;
            var picture = new byte[FrameBytes];
            var seen = new List<int>();
            bool shown = NetNode.PumpUntil(server, client, () =>
            {
                screen.Read(0, picture);
                for (int i = 3; i < picture.Length; i += 4) picture[i] = 0;
                if (sources.TryGetValue(Convert.ToHexString(SHA256.HashData(picture)), out int frame) && (seen.Count == 0 || seen[^1] != frame)) seen.Add(frame);
                return seen.Count >= 12;
            }, seconds: 120);
            Assert.True(shown, $"frames seen: {string.Join(',', seen)}");
            int forward = 0;
            for (int i = 1; i < seen.Count; i++) if ((seen[i] - seen[i - 1] + Frames) % Frames is > 0 and < Frames / 2) forward++;
            Assert.True(forward >= seen.Count - 2, $"frames out of order: {string.Join(',', seen)}");
        }
        finally { disk?.Dispose(); }
    }
}
