using Spindle.Kernel.Block;
using Spindle.Kernel.Boot;
using Spindle.Machine.Devices;

namespace Spindle.Kernel.Tests.Block;

/// <summary>A kernel with one image-backed disk (vda) driven by its buffer cache, or by a cache of a given capacity.</summary>
internal sealed class TestDisk : IDisposable
{
    public TestDisk(string image, bool readOnly, int? capacity = null)
    {
        Kernel = new KernelRoot(new KernelOptions(MemoryBytes: 64UL << 20));
        Cache = capacity is int c
            ? new BufferCache(new DiskIo(Kernel.Lines.Bell), Kernel.Frames, Kernel.BlockRequests, Kernel.Dispatcher, c)
            : Kernel.Cache;
        Device = new FileBlockDevice(image, "vda", readOnly);
        Cache.Disks.Add(Device);
        Device.Attach(Kernel.Lines);
    }

    public KernelRoot Kernel { get; }
    public BufferCache Cache { get; }
    public FileBlockDevice Device { get; }

    /// <summary>Reads block <paramref name="block"/> of disk 0 through <paramref name="cache"/> and releases it.</summary>
    public static void Touch(BufferCache cache, long block)
    {
        Assert.Equal(0, cache.Read(0, block, out Sdk.Block.CacheBlock b));
        cache.Release(b);
    }

    public void Dispose()
    {
        Device.Dispose();
        Kernel.Dispose();
    }
}
