using Spindle.Kernel.Boot;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Linux;
using Spindle.Sdk.PhysAddr;

namespace Spindle.Kernel.Tests.Boot;

/// <summary>
/// A described frame buffer: built on pinned frames, exported to extensions as IFramebuffer (an extension paints
/// through it and the device shows it), absent unless described, and a wrong size refused with a clear error.
/// </summary>
public sealed class FramebufferBuildTests(TestHome home) : IClassFixture<TestHome>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spindle-fb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SystemDescription Describe() => new()
    {
        MemoryBytes = 16 << 20,
        Personality = "Linux",
        SpindleHome = home.Path,
        Console = new FakeConsole(),
        ExtensionLog = TextWriter.Null,
        // li a0, 0; li a7, 94 (exit_group); ecall
        Program = new FirstProgram(new ProgramImage.Code([0x13, 0x05, 0, 0, 0x93, 0x08, 0xe0, 0x05, 0x73, 0, 0, 0], 0x10000, 0x100000, 0x200000, 0x400000), "/exit", ["/exit"], []),
    };

    [Fact]
    public void AnExtensionPaintsThroughTheSdkAndTheDeviceShowsIt()
    {
        string paint = Path.Combine(_folder, "Paint.cs");
        File.WriteAllText(paint, """
            using Spindle.Sdk;
            using Spindle.Sdk.Video;

            public sealed class Paint : IExtension
            {
                public void Initialize(IExtensionContext context)
                {
                    var fb = context.Import<IFramebuffer>();
                    var row = new byte[fb.Stride];
                    for (int x = 0; x < fb.Width; x++) { row[4 * x] = 0x10; row[4 * x + 1] = 0x20; row[4 * x + 2] = (byte)x; }
                    for (int y = 0; y < fb.Height; y += 2) fb.Write((long)y * fb.Stride, row);
                    if (fb.Write((long)fb.Height * fb.Stride, row) != -22) throw new System.InvalidOperationException("a write past the end was taken");
                }
            }
            """);
        using var system = SystemBuilder.Build(Describe() with { Framebuffer = new FramebufferSize(64, 48), Extensions = [paint] });
        var fb = system.Kernel.Framebuffer!;
        Assert.Equal((64, 48, 256), (fb.Width, fb.Height, fb.Stride));
        Assert.All(fb.Frames, f => Assert.Equal(FrameAttributes.Pinned, f.Attributes));
        var pixel = new byte[4];
        fb.Device.Read(2 * 256 + 4 * 7, pixel);
        Assert.Equal([0x10, 0x20, 7, 0], pixel);
        fb.Device.Read(1 * 256 + 4 * 7, pixel);
        Assert.Equal([0, 0, 0, 0], pixel);
        Assert.Equal(0, system.Run());
    }

    [Fact]
    public void WithoutADescribedFrameBufferThereIsNone()
    {
        using var system = SystemBuilder.Build(Describe());
        Assert.Null(system.Kernel.Framebuffer);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(5000, 10)]
    [InlineData(4096, 4096)]          // 64 MiB of frames in a 16 MiB machine
    public void AWrongSizeIsRefusedNamingTheFrameBuffer(int width, int height)
    {
        var e = Assert.Throws<BootException>(() => SystemBuilder.Build(Describe() with { Framebuffer = new FramebufferSize(width, height) }));
        Assert.StartsWith("frame buffer:", e.Message);
    }
}
