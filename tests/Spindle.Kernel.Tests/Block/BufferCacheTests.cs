using Spindle.Kernel.Block;
using Spindle.Kernel.Tests.Dispatcher;
using Spindle.Sdk.Block;
using Spindle.Sdk.Buffers;
using Spindle.Sdk.Io;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// The buffer cache over an image: reads come from the disk once and then from the cache, dirty blocks reach the
/// image on Sync, eviction is LRU by default, a policy handler changes the victim, and a policy that throws, loops or
/// names a pinned or absent block is contained (LRU decides).
/// </summary>
public sealed class BufferCacheTests : IDisposable
{
    private const int Blocks = 64;
    private readonly string _image = Path.Combine(Path.GetTempPath(), $"spindle-cache-{Guid.NewGuid():N}.img");
    private readonly byte[] _bytes = new byte[Blocks * 4096 + 1024];          // the last block is short: 2 sectors

    public BufferCacheTests()
    {
        new Random(3).NextBytes(_bytes);
        File.WriteAllBytes(_image, _bytes);
    }

    public void Dispose() => File.Delete(_image);

    private static void Touch(BufferCache cache, long block) => TestDisk.Touch(cache, block);

    [Fact]
    public void ReadsComeFromTheDiskOnceThenFromTheCache()
    {
        using var disk = new TestDisk(_image, readOnly: true);
        var cache = disk.Cache;
        Assert.Equal(0, cache.FindDisk("/dev/vda"));
        Assert.Equal(-Errno.ENODEV, cache.FindDisk("vdb"));
        Assert.Equal(0, cache.GetDisk(0, out DiskInfo info));
        Assert.Equal(new DiskInfo("vda", Blocks * 8 + 2, true), info);
        for (long b = 0; b <= Blocks; b++)
        {
            Assert.Equal(0, cache.Read(0, b, out CacheBlock block));
            int length = (int)Math.Min(4096, _bytes.Length - b * 4096);
            Assert.Equal(_bytes.AsSpan((int)b * 4096, length).ToArray(), block.Data[..length].ToArray());
            Assert.True(block.Data[length..].IndexOfAnyExcept((byte)0) < 0, "past the disk's end reads as zeros");
            cache.Release(block);
            Assert.Throws<StaleBufferException>(() => block.Data.Length);
        }
        Assert.Equal(Blocks + 1L, cache.Hits + cache.Misses);
        Assert.True(cache.Misses <= 2 && cache.ReadsAhead == Blocks - 1, $"a sequential reader finds blocks read ahead: {cache.Misses} misses, {cache.ReadsAhead} read ahead");
        long hits = cache.Hits;
        Touch(cache, 3);
        Assert.Equal(hits + 1, cache.Hits);
        Assert.Equal(-Errno.EINVAL, cache.Read(0, Blocks + 1, out _));
        Assert.Equal(-Errno.EINVAL, cache.Read(0, -1, out _));
        Assert.Equal(-Errno.ENODEV, cache.Read(1, 0, out _));
        Assert.Equal(0, cache.Read(0, 0, out CacheBlock pinned));
        Assert.Equal(-Errno.EROFS, cache.MarkDirty(pinned));
        cache.Release(pinned);
        Assert.Throws<StaleBufferException>(() => cache.Release(pinned));
    }

    [Fact]
    public void AClaimedBlockIsNotReadAndReachesTheImageWhole()
    {
        using var disk = new TestDisk(_image, readOnly: false);
        var cache = disk.Cache;
        Assert.Equal(0, cache.Claim(0, 5, out CacheBlock claimed));
        Assert.Equal(0, cache.Misses);                                              // nothing read from the disk
        Assert.True(claimed.Data.IndexOfAnyExcept((byte)0) < 0, "a claimed block starts as zeros");
        claimed.Data.Fill(0x5c);
        Assert.Equal(0, cache.MarkDirty(claimed));
        cache.Release(claimed);
        Assert.Equal(0, cache.Claim(0, 5, out claimed));                            // cached now: the same bytes
        Assert.Equal(0x5c, claimed.Data[4095]);
        cache.Release(claimed);
        Assert.Equal(0, cache.Sync(0));
        Assert.True(File.ReadAllBytes(_image).AsSpan(5 * 4096, 4096).IndexOfAnyExcept((byte)0x5c) < 0);
        Assert.Equal(-Errno.EINVAL, cache.Claim(0, Blocks + 1, out _));
    }

    [Fact]
    public void DirtyBlocksReachTheImageOnSyncAndOnEviction()
    {
        using (var disk = new TestDisk(_image, readOnly: false, capacity: 4))
        {
            var cache = disk.Cache;
            for (long b = 0; b < 8; b++)
            {
                Assert.Equal(0, cache.Read(0, b, out CacheBlock block));
                block.Data.Fill((byte)(0xA0 + b));
                Assert.Equal(0, cache.MarkDirty(block));
                cache.Release(block);
            }
            Assert.Equal(4, cache.Count);                                      // blocks 0..3 went out dirty, written first
            Assert.Equal(0, cache.Read(0, Blocks, out CacheBlock last));       // the short block: only its sectors are written
            last.Data.Fill(0xEE);
            cache.MarkDirty(last);
            cache.Release(last);
            Assert.Equal(0, cache.Sync(0));
        }
        var file = File.ReadAllBytes(_image);
        Assert.Equal(_bytes.Length, file.Length);
        for (int b = 0; b < 8; b++) Assert.True(file.AsSpan(b * 4096, 4096).IndexOfAnyExcept((byte)(0xA0 + b)) < 0, $"block {b}");
        Assert.True(file.AsSpan(Blocks * 4096, 1024).IndexOfAnyExcept((byte)0xEE) < 0);
        Assert.Equal(_bytes.AsSpan(8 * 4096, 4096).ToArray(), file.AsSpan(8 * 4096, 4096).ToArray());
    }

    [Fact]
    public void ReadAheadNeverStarvesAReaderOfSlots()
    {
        using var disk = new TestDisk(_image, readOnly: true, capacity: 8);
        var cache = disk.Cache;
        var pinned = new List<CacheBlock>();
        for (long b = 0; b < 6; b++)                                          // sequential: reads ahead take free slots
        {
            Assert.Equal(0, cache.Read(0, b, out CacheBlock block));
            pinned.Add(block);
        }
        Assert.Equal(0, cache.Read(0, 40, out CacheBlock far));               // a slot is found: a read ahead is finished and evicted
        Assert.Equal(_bytes.AsSpan(40 * 4096, 4096).ToArray(), far.Data.ToArray());
        cache.Release(far);
        foreach (var block in pinned)
        {
            Assert.Equal(_bytes.AsSpan((int)block.Block * 4096, 4096).ToArray(), block.Data.ToArray());
            cache.Release(block);
        }
    }

    [Fact]
    public void EvictionIsLeastRecentlyUsedAndNeverTakesAPinnedBlock()
    {
        using var disk = new TestDisk(_image, readOnly: true, capacity: 4);
        var cache = disk.Cache;
        cache.ReadAheadBlocks = 0;                                            // the order of blocks is the test's alone
        for (long b = 0; b < 4; b++) Touch(cache, b);
        Touch(cache, 0);                                                       // 1 is now the least recent
        Assert.Equal(0, cache.Read(0, 1, out CacheBlock pinned));              // ... but pinned: 2 goes
        Touch(cache, 10);
        Assert.True(cache.Holds(0, 1) && cache.Holds(0, 0) && !cache.Holds(0, 2));
        cache.Release(pinned);
        for (long b = 20; b < 24; b++) Assert.Equal(0, cache.Read(0, b, out _));   // pin four: nothing is left to evict
        Assert.Equal(-Errno.ENOMEM, cache.Read(0, 30, out _));
    }

    [Fact]
    public void APolicyHandlerChoosesTheVictim()
    {
        using var disk = new TestDisk(_image, readOnly: true, capacity: 4);
        var cache = disk.Cache;
        cache.ReadAheadBlocks = 0;                                            // the order of blocks is the test's alone
        var seen = new List<CacheKey>();
        var owner = new TestOwner("mru", fuel: 100_000);
        disk.Kernel.Dispatcher.Install(owner, cache.Policy.Accessed, k => { seen.Add(k); return true; });
        disk.Kernel.Dispatcher.Install(owner, cache.Policy.ChooseVictim, k => CacheVictim.Of(new CacheKey(0, 3)), k => k.Device == 0);
        for (long b = 0; b < 4; b++) Touch(cache, b);
        Touch(cache, 2);
        Touch(cache, 10);                                                      // LRU would take 0; the handler says 3
        Assert.True(cache.Holds(0, 0) && !cache.Holds(0, 3) && cache.Holds(0, 10));
        Assert.Equal([new CacheKey(0, 2)], seen);
        Assert.Empty(owner.Faults);
    }

    [Theory]
    [InlineData("throws")]
    [InlineData("loops")]
    [InlineData("absent")]
    [InlineData("pinned")]
    public void AHostileOrWrongPolicyFallsBackToLru(string kind)
    {
        using var disk = new TestDisk(_image, readOnly: true, capacity: 4);
        var cache = disk.Cache;
        cache.ReadAheadBlocks = 0;                                            // the order of blocks is the test's alone
        var owner = new TestOwner("hostile", fuel: 10_000);
        Func<CacheKey, CacheVictim> handler = kind switch
        {
            "throws" => _ => throw new InvalidOperationException("no victim for you"),
            "loops" => _ => { while (true) Meter.Tick(); },
            "absent" => _ => CacheVictim.Of(new CacheKey(0, 50)),
            _ => _ => CacheVictim.Of(new CacheKey(0, 3)),
        };
        disk.Kernel.Dispatcher.Install(owner, cache.Policy.ChooseVictim, handler);
        for (long b = 0; b < 4; b++) Touch(cache, b);
        Assert.Equal(0, cache.Read(0, 3, out CacheBlock pinned));
        Touch(cache, 10);
        Touch(cache, 11);
        Assert.True(!cache.Holds(0, 0) && !cache.Holds(0, 1) && cache.Holds(0, 3) && cache.Holds(0, 10) && cache.Holds(0, 11));
        cache.Release(pinned);
        Assert.Equal(kind is "throws" or "loops" ? 2 : 0, owner.Faults.Count);
    }
}
