using Spindle.Machine.Devices;

namespace Spindle.Machine.Tests.Devices;

/// <summary>
/// The image-backed disk: many requests in flight reach the host file and come back with their tags, each
/// completion raises the line (the handler runs on drain), bad ranges and writes to a read-only disk are refused
/// without touching the file, the queue is bounded, and a flush completes.
/// </summary>
public sealed class FileBlockDeviceTests : IDisposable
{
    private const int EINVAL = 22, EROFS = 30;
    private readonly string _image = Path.Combine(Path.GetTempPath(), $"spindle-disk-{Guid.NewGuid():N}.img");
    private readonly InterruptLines _lines = new();

    public FileBlockDeviceTests()
    {
        var bytes = new byte[256 * 512 + 100];              // a trailing partial sector is not part of the disk
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(_image, bytes);
    }

    public void Dispose() => File.Delete(_image);

    private FileBlockDevice Open(bool readOnly, Action? onInterrupt = null)
    {
        var disk = new FileBlockDevice(_image, "vda", readOnly) { OnInterrupt = onInterrupt };
        disk.Attach(_lines);
        return disk;
    }

    // Takes exactly `count` completions, draining the line as the CPU would; returns them by tag.
    private Dictionary<ulong, int> Complete(FileBlockDevice disk, int count)
    {
        var done = new Dictionary<ulong, int>();
        while (done.Count < count)
        {
            _lines.Bell.Clear();
            while (done.Count < count && disk.TryComplete(out ulong tag, out int status)) done.Add(tag, status);
            if (done.Count < count) Assert.True(_lines.Bell.Wait(10_000_000_000), "a completion rang the bell");
        }
        return done;
    }

    [Fact]
    public void ManyRequestsInFlightReadAndWriteTheImage()
    {
        int interrupts = 0;
        using var disk = Open(readOnly: false, () => interrupts++);
        Assert.Equal(256, disk.SectorCount);
        Assert.False(disk.ReadOnly);
        var data = new byte[32][];
        for (int i = 0; i < 32; i++)
        {
            data[i] = new byte[1024];
            new Random(100 + i).NextBytes(data[i]);
            Assert.True(disk.Submit((ulong)i, write: true, sector: i * 8, data[i]));
        }
        Assert.All(Complete(disk, 32), c => Assert.Equal(0, c.Value));
        Assert.True(disk.SubmitFlush(99));
        Assert.Equal(0, Complete(disk, 1)[99]);

        var back = new byte[32][];
        for (int i = 0; i < 32; i++) Assert.True(disk.Submit((ulong)(1000 + i), write: false, sector: i * 8, back[i] = new byte[1024]));
        var done = Complete(disk, 32);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(0, done[(ulong)(1000 + i)]);
            Assert.Equal(data[i], back[i]);
        }
        _lines.Drain((line, e) => Assert.Fail(e.ToString()));
        Assert.True(interrupts >= 1, "completions raise the disk's line and the drain runs its handler");

        disk.Dispose();
        var file = File.ReadAllBytes(_image);
        for (int i = 0; i < 32; i++) Assert.Equal(data[i], file.AsSpan(i * 8 * 512, 1024).ToArray());
    }

    [Fact]
    public void BadRangesAndReadOnlyWritesAreRefusedWithoutTouchingTheImage()
    {
        var before = File.ReadAllBytes(_image);
        using (var disk = Open(readOnly: true))
        {
            Assert.True(disk.Submit(1, write: false, sector: 255, new byte[1024]));    // runs past the end
            Assert.True(disk.Submit(2, write: false, sector: -1, new byte[512]));
            Assert.True(disk.Submit(3, write: false, sector: 0, new byte[100]));       // not whole sectors
            Assert.True(disk.Submit(4, write: true, sector: 0, new byte[512]));
            Assert.True(disk.Submit(5, write: false, sector: 255, new byte[512]));     // the last whole sector
            Assert.True(disk.SubmitFlush(6));
            var done = Complete(disk, 6);
            Assert.Equal((-EINVAL, -EINVAL, -EINVAL, -EROFS, 0, 0), (done[1], done[2], done[3], done[4], done[5], done[6]));
        }
        Assert.Equal(before, File.ReadAllBytes(_image));
    }

    [Fact]
    public void TheQueueIsBoundedUntilCompletionsAreTaken()
    {
        using var disk = Open(readOnly: true);
        var buffer = new byte[512];
        for (int i = 0; i < FileBlockDevice.QueueDepth; i++) Assert.True(disk.Submit((ulong)i, false, i % 256, buffer));
        Assert.False(disk.Submit(999, false, 0, buffer));
        Assert.False(disk.SubmitFlush(999));
        Complete(disk, 1);
        Assert.True(disk.SubmitFlush(1000));
        Complete(disk, FileBlockDevice.QueueDepth);
    }

    [Fact]
    public void AMissingImageIsAnIOExceptionNamingIt()
    {
        var e = Assert.Throws<IOException>(() => new FileBlockDevice("/nonexistent/disk.img", "vda", readOnly: true));
        Assert.Contains("/nonexistent/disk.img", e.Message);
    }
}
