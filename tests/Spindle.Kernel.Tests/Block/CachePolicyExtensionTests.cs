using Spindle.Kernel.Block;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Sdk.Block;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// A cache policy loaded as an extension (extensions/Cache/Mru or S3Fifo, built by the trusted compiler) changes which
/// blocks stay: a scan larger than the cache evicts a hot set under LRU, and leaves it in place under the scan-resistant
/// policy; unloading the extension brings LRU back.
/// </summary>
public sealed class CachePolicyExtensionTests : IDisposable
{
    private const int Hot = 64, Scan = 4000;
    private readonly TestHome _home = new();
    private readonly string _image = Path.Combine(Path.GetTempPath(), $"spindle-policy-{Guid.NewGuid():N}.img");

    public CachePolicyExtensionTests()
    {
        using var f = File.Create(_image);
        f.SetLength((long)(Hot + Scan) * 4096);
    }

    public void Dispose()
    {
        File.Delete(_image);
        _home.Dispose();
    }

    // Reads the hot set twice, then scans once; returns how many hot blocks are still cached.
    private static int HotBlocksLeftAfterAScan(BufferCache cache)
    {
        for (int round = 0; round < 2; round++)
            for (long b = 0; b < Hot; b++) TestDisk.Touch(cache, b);
        for (long b = Hot; b < Hot + Scan; b++) TestDisk.Touch(cache, b);
        int left = 0;
        for (long b = 0; b < Hot; b++) if (cache.Holds(0, b)) left++;
        Assert.Equal(0, cache.Invalidate(0));
        return left;
    }

    [Theory]
    [InlineData("Mru")]
    [InlineData("S3Fifo")]
    public void AScanResistantPolicyKeepsTheHotSetAndUnloadingBringsLruBack(string policy)
    {
        using var disk = new TestDisk(_image, readOnly: true);
        var cache = disk.Kernel.Cache;
        Assert.True(cache.Capacity < Scan, "the scan is larger than the cache");
        Assert.Equal(0, HotBlocksLeftAfterAScan(cache));

        var manager = ExtensionManager.ForKernel(disk.Kernel, _home.Path);
        string source = ExtensionSources.Find(Path.Combine("Cache", policy), out string? error) ?? throw new InvalidOperationException(error);
        var loaded = manager.Load(source, out error);
        Assert.True(loaded is not null, error);
        Assert.True(HotBlocksLeftAfterAScan(cache) >= Hot - 2, $"{policy} gives up the scan's blocks, not the hot set");

        manager.Unload(loaded!);
        Assert.Equal(0, HotBlocksLeftAfterAScan(cache));
    }
}
