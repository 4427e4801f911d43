using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Block;

// The buffer cache as file systems see it: disk pages (4 KiB, eight sectors) held in the machine's frames,
// pinned while used, written back when dirty. Contract: CPU's thread only; every result is 0 or a negated
// errno; a pinned block stays in the cache (never a victim) until released, and its data is the disk's (or
// newer, once written and marked dirty).

/// <summary>A disk the buffer cache serves.</summary>
/// <param name="Name">Its name ("vda", "vdb", ... in the order the machine was given them).</param>
/// <param name="Sectors">Its size in 512-byte sectors.</param>
/// <param name="ReadOnly">True if writes to it fail with -EROFS.</param>
public readonly record struct DiskInfo(string Name, long Sectors, bool ReadOnly);

/// <summary>
/// The kernel's buffer cache (SPIN's file-system cache, Linux's buffer and page cache): file systems read disk
/// pages through it, change them in place and mark them dirty; <see cref="Sync"/> writes them back and makes them
/// durable. Its eviction policy is LRU unless extensions choose other victims through <see cref="Policy"/>.
/// </summary>
public interface IBufferCache
{
    /// <summary>Bytes per cache block: one page (<see cref="BlockRequest.SectorSize"/> × 8).</summary>
    const int BlockSize = 4096;

    /// <summary>How many disks there are; devices are numbered 0 .. count-1.</summary>
    int DiskCount { get; }

    /// <summary>The disk named <paramref name="name"/> ("vda" or "/dev/vda"): its device number, or -ENODEV.</summary>
    int FindDisk(string name);

    /// <summary>What disk <paramref name="device"/> is: 0, or -ENODEV.</summary>
    int GetDisk(int device, out DiskInfo info);

    /// <summary>
    /// Pins block <paramref name="block"/> (4 KiB, from byte block × 4096) of <paramref name="device"/>, reading it
    /// if it is not cached (a block that runs past the disk's end reads its remaining sectors; the rest is zeros).
    /// Returns 0, -ENODEV, -EINVAL (past the end), -EIO (the disk failed) or -ENOMEM (every block is pinned).
    /// Release it with <see cref="Release"/>.
    /// </summary>
    int Read(int device, long block, out CacheBlock cached);

    /// <summary>
    /// Pins block <paramref name="block"/> of <paramref name="device"/> to overwrite all of it (Linux's getblk beside
    /// bread): as <see cref="Read"/>, but a block that is not cached is not read; its bytes are zeros. The caller
    /// writes the whole block and marks it dirty.
    /// </summary>
    int Claim(int device, long block, out CacheBlock cached);

    /// <summary>The pinned <paramref name="cached"/> was changed: it is written back by <see cref="Sync"/> or before eviction. -EROFS on a read-only disk.</summary>
    int MarkDirty(CacheBlock cached);

    /// <summary>Unpins <paramref name="cached"/>; the handle goes stale.</summary>
    void Release(CacheBlock cached);

    /// <summary>Writes every dirty block of <paramref name="device"/> (every disk if -1) back and flushes the disk: 0, -EIO, or -ENODEV for no such disk.</summary>
    int Sync(int device);

    /// <summary>Drops every unpinned clean block of <paramref name="device"/> (after an unmount); dirty ones are written first. 0 or -EIO.</summary>
    int Invalidate(int device);

    /// <summary>True if <paramref name="key"/> is cached and unpinned: a victim a policy may name.</summary>
    bool IsEvictable(CacheKey key);

    /// <summary>The events through which extensions choose the eviction policy.</summary>
    CachePolicyEvents Policy { get; }

    /// <summary>Blocks the cache holds at most.</summary>
    int Capacity { get; }

    /// <summary>Counters: reads answered from the cache and reads that went to the disk.</summary>
    long Hits { get; }

    /// <inheritdoc cref="Hits"/>
    long Misses { get; }
}

/// <summary>One block of a disk in the cache: the argument of the policy events (guard on its fields).</summary>
/// <param name="Device">The disk.</param>
/// <param name="Block">The block number (4 KiB units).</param>
public readonly record struct CacheKey(int Device, long Block);

/// <summary>
/// What a victim handler answers: <see cref="Chosen"/> and the block to evict instead of the default policy's
/// choice. The default value (what a handler that faulted yields) keeps the default choice.
/// </summary>
public readonly record struct CacheVictim(bool Chosen, CacheKey Key)
{
    /// <summary>Evict <paramref name="key"/> instead.</summary>
    public static CacheVictim Of(CacheKey key) => new(true, key);
}

/// <summary>
/// The buffer cache's policy events (SPIN's cache events, cachebpf's hooks). <see cref="Added"/>,
/// <see cref="Accessed"/> and <see cref="Evicted"/> are notifications (results ignored) so that a policy keeps its
/// own order of the blocks; <see cref="ChooseVictim"/> is raised with the default (LRU) victim and its handlers may
/// answer another block. An answer that is not a cached, unpinned block, a handler that faults or runs out of
/// fuel, and no handler at all: the default victim is evicted. Raised on the CPU's thread.
/// </summary>
public sealed class CachePolicyEvents(Event<CacheKey, bool> added, Event<CacheKey, bool> accessed, Event<CacheKey, bool> evicted,
    Event<CacheKey, CacheVictim> chooseVictim)
{
    /// <summary>A block entered the cache (after its read completed).</summary>
    public Event<CacheKey, bool> Added { get; } = added;

    /// <summary>A cached block was read again (a hit; the first read of a block read ahead is its <see cref="Added"/>).</summary>
    public Event<CacheKey, bool> Accessed { get; } = accessed;

    /// <summary>A block left the cache.</summary>
    public Event<CacheKey, bool> Evicted { get; } = evicted;

    /// <summary>The cache is full: the argument is the default policy's victim; a handler may answer another.</summary>
    public Event<CacheKey, CacheVictim> ChooseVictim { get; } = chooseVictim;
}
