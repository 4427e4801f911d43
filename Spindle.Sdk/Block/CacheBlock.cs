using System.Runtime.CompilerServices;
using Spindle.Sdk.Buffers;

namespace Spindle.Sdk.Block;

// A pinned block of the buffer cache: a handle (the cache's slot and the generation it was pinned under),
// checked on every access like BlockRequest, so that a handle kept after Release throws StaleBufferException
// instead of reading a block that now holds another disk's data. CPU's thread only.

/// <summary>A block pinned in the <see cref="IBufferCache"/>: its place and its 4 KiB of data.</summary>
public readonly struct CacheBlock
{
    private readonly CacheSlot? _slot;
    private readonly int _generation;

    internal CacheBlock(CacheSlot slot)
    {
        _slot = slot;
        _generation = slot.Generation;
    }

    /// <summary>The disk.</summary>
    public int Device => Live("Device").Device;

    /// <summary>The block number (4 KiB units).</summary>
    public long Block => Live("Block").Block;

    /// <summary>The block's bytes (<see cref="IBufferCache.BlockSize"/>); change them, then <see cref="IBufferCache.MarkDirty"/>.</summary>
    public Span<byte> Data => Live("Data").Data;

    /// <summary>The cache: the slot behind this handle, checked live.</summary>
    internal CacheSlot Slot(string what) => Live(what);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CacheSlot Live(string what)
    {
        var s = _slot ?? throw new StaleBufferException($"{what}: the cache block handle is null");
        if (s.Generation != _generation) throw new StaleBufferException($"{what}: the cache block was released");
        return s;
    }
}

/// <summary>The cache's side of a <see cref="CacheBlock"/>: made by the kernel's buffer cache.</summary>
internal abstract class CacheSlot
{
    /// <summary>Bumped on every release, so handles given out before go stale.</summary>
    public int Generation;

    public int Device;
    public long Block;

    /// <summary>The 4 KiB the slot holds (a frame of the machine's memory).</summary>
    public abstract Span<byte> Data { get; }

    /// <summary>A handle to this slot as pinned now.</summary>
    public CacheBlock Handle() => new(this);
}
