using System.Diagnostics;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.PhysAddr;
using Spindle.Sdk.Block;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Block;

/// <summary>
/// The kernel's buffer cache (<see cref="IBufferCache"/>): 4 KiB disk blocks in frames of the machine's memory,
/// found by (device, block), pinned while used, written back when dirty and evicted least recently used first
/// unless a policy handler chooses another victim.
/// <para>
/// Contract. CPU's thread only. A block is in the map only when its data is valid (a read that fails leaves no
/// trace). A pinned block (Pins &gt; 0) is never evicted; a handle's generation is bumped when its last pin goes,
/// so a handle kept after that throws. Eviction raises <see cref="CachePolicyEvents.ChooseVictim"/> with the LRU
/// victim; an answer naming anything but a cached unpinned block is ignored (as is a handler that faulted: the
/// dispatcher contains it and its result is "no choice"). A dirty victim is written back before its frame is reused.
/// A block being read ahead is in the map, pinned once by the cache itself, until its read is finished
/// (BufferCache.ReadAhead.cs).
/// </para>
/// </summary>
public sealed partial class BufferCache : IBufferCache
{
    /// <summary>Blocks cached at most by default (32 MiB), less on a small machine (an eighth of its memory).</summary>
    public const int DefaultCapacity = 8192;

    private const int SectorsPerBlock = IBufferCache.BlockSize / BlockRequest.SectorSize;
    private static readonly KernelOwner Owner = new("buffer-cache");

    // One cached block: its frame, pins, dirtiness and place in the LRU list (head: least recently used).
    private sealed class Entry(FrameAllocator frames, uint frame) : CacheSlot
    {
        public int Pins;
        public bool Dirty;
        public int Tag = -1;                 // a read ahead in flight: its tag and request; -1: none
        public BlockRequest Request;
        public Entry? Older, Newer;
        public override Span<byte> Data => frames.Memory.Frame(frame);
    }

    private readonly FrameAllocator _frames;
    private readonly BlockRequestPool _requests;
    private readonly Dictionary<CacheKey, Entry> _map = [];
    private readonly Stack<Entry> _free = new();                // slots holding no block
    private readonly List<Entry> _batch = [];                   // Sync's dirty blocks (reused)
    private readonly (int Tag, BlockRequest Request, Entry Entry)[] _writes = new (int, BlockRequest, Entry)[DiskIo.MaxInFlight];
    private Entry? _oldest, _newest;
    private int _slots;

    /// <summary>A cache of at most <paramref name="capacity"/> blocks taken from <paramref name="frames"/> as needed, over <paramref name="disks"/>.</summary>
    public BufferCache(DiskIo disks, FrameAllocator frames, BlockRequestPool requests, Dispatcher.Dispatcher dispatcher, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Disks = disks;
        _frames = frames;
        _requests = requests;
        Capacity = capacity;
        Policy = new CachePolicyEvents(Notification(dispatcher, "Cache.Added"), Notification(dispatcher, "Cache.Accessed"),
            Notification(dispatcher, "Cache.Evicted"), Victim(dispatcher));
    }

    /// <summary>The disks' driver.</summary>
    public DiskIo Disks { get; }

    /// <inheritdoc/>
    public int Capacity { get; }

    /// <inheritdoc/>
    public CachePolicyEvents Policy { get; }

    /// <inheritdoc/>
    public long Hits { get; private set; }

    /// <inheritdoc/>
    public long Misses { get; private set; }

    /// <summary>Blocks cached now.</summary>
    public int Count => _map.Count;

    /// <inheritdoc/>
    public bool IsEvictable(CacheKey key) => _map.TryGetValue(key, out var e) && e.Pins == 0;

    /// <summary>True if block <paramref name="block"/> of <paramref name="device"/> is cached.</summary>
    public bool Holds(int device, long block) => _map.ContainsKey(new CacheKey(device, block));

    /// <inheritdoc/>
    public int DiskCount => Disks.Count;

    /// <inheritdoc/>
    public int FindDisk(string name) => name is null ? -Errno.ENODEV : Disks.Find(name) is var d and >= 0 ? d : -Errno.ENODEV;

    /// <inheritdoc/>
    public int GetDisk(int device, out DiskInfo info)
    {
        info = default;
        if (Disks.Device(device) is not { } disk) return -Errno.ENODEV;
        info = new DiskInfo(Disks.Name(device), disk.SectorCount, disk.ReadOnly);
        return 0;
    }

    /// <inheritdoc/>
    public int Read(int device, long block, out CacheBlock cached) => Pin(device, block, read: true, out cached);

    /// <inheritdoc/>
    public int Claim(int device, long block, out CacheBlock cached) => Pin(device, block, read: false, out cached);

    // Read and Claim: a cached block is a hit; a missing one is read from the disk (`read`) or zeroed.
    private int Pin(int device, long block, bool read, out CacheBlock cached)
    {
        cached = default;
        if (Disks.Device(device) is not { } disk) return -Errno.ENODEV;
        if (block < 0 || block >= (disk.SectorCount + SectorsPerBlock - 1) / SectorsPerBlock) return -Errno.EINVAL;
        var key = new CacheKey(device, block);
        bool ahead = false;
        if (_map.TryGetValue(key, out var e) && (e.Tag < 0 || (ahead = FinishReadAhead(e) == 0)))
        {
            Hits++;
            e.Pins++;
            MakeNewest(e);
            if (ahead) ReadAheadFound(device, block);            // its first use: Added was raised as its read finished
            else Policy.Accessed.Raise(key);
            cached = e.Handle();
            return 0;
        }
        int r = TakeSlot(out e);
        if (r < 0) return r;
        if (read) r = Transfer(e!, device, block, write: false);
        else e!.Data.Clear();
        if (r < 0) { _free.Push(e!); return r; }
        if (read) Misses++;
        (e!.Device, e.Block, e.Pins, e.Dirty) = (device, block, 1, false);
        _map.Add(key, e);
        MakeNewest(e);
        Policy.Added.Raise(key);
        cached = e.Handle();
        if (read) ReadAheadAfter(device, block);
        return 0;
    }

    /// <inheritdoc/>
    public int MarkDirty(CacheBlock cached)
    {
        var e = Pinned(cached, "MarkDirty");
        if (Disks.Device(e.Device)!.ReadOnly) return -Errno.EROFS;
        e.Dirty = true;
        return 0;
    }

    /// <inheritdoc/>
    public void Release(CacheBlock cached)
    {
        var e = Pinned(cached, "Release");
        if (--e.Pins == 0) e.Generation++;
    }

    /// <inheritdoc/>
    public int Sync(int device)
    {
        if (device >= Disks.Count || device < -1) return -Errno.ENODEV;
        FinishReadsAhead();
        _batch.Clear();
        foreach (var e in _map.Values)
            if (e.Dirty && (device < 0 || e.Device == device)) _batch.Add(e);
        int r = WriteBack(_batch);
        for (int d = 0; d < Disks.Count; d++)
        {
            if ((device >= 0 && d != device) || Disks.Device(d)!.ReadOnly) continue;
            if (!_requests.TryAllocate(BlockOperation.Flush, d, 0, 0, out var flush)) return -Errno.ENOMEM;
            int f = Disks.Run(flush);
            _requests.Free(flush);
            if (r == 0) r = f < 0 ? -Errno.EIO : 0;
        }
        return r;
    }

    /// <inheritdoc/>
    public int Invalidate(int device)
    {
        int r = Sync(device);
        if (r < 0) return r;
        for (var e = _oldest; e != null;)
        {
            var next = e.Newer;
            if (e.Device == device && e.Pins == 0) Drop(e);
            e = next;
        }
        return 0;
    }

    // A free slot: a spare one, a new frame while under capacity, else an evicted block's.
    private int TakeSlot(out Entry? e)
    {
        if (_free.TryPop(out e)) return 0;
        if (_slots < Capacity && _frames.TryAllocate(out uint frame))
        {
            _slots++;
            e = new Entry(_frames, frame);
            return 0;
        }
        return Evict(out e);
    }

    // Chooses a victim (LRU, or a policy's answer), writes it back if dirty, and frees its slot.
    private int Evict(out Entry? victim)
    {
        victim = _oldest;
        while (victim != null && victim.Pins > 0) victim = victim.Newer;
        if (victim == null && _reading.Count > 0)
        {
            var oldest = _reading[0];                            // only reads ahead hold the rest: finish one
            FinishReadAhead(oldest);
            if (_map.ContainsKey(new CacheKey(oldest.Device, oldest.Block))) victim = oldest;
            else return TakeSlot(out victim);                    // it failed, and its slot is free again
        }
        if (victim == null) return -Errno.ENOMEM;
        var answer = Policy.ChooseVictim.Raise(new CacheKey(victim.Device, victim.Block));
        if (answer.Chosen && IsEvictable(answer.Key)) victim = _map[answer.Key];
        if (victim.Dirty)
        {
            int r = Transfer(victim, victim.Device, victim.Block, write: true);
            if (r < 0) { victim = null; return r; }
            victim.Dirty = false;
        }
        Unlink(victim);
        _map.Remove(new CacheKey(victim.Device, victim.Block));
        Policy.Evicted.Raise(new CacheKey(victim.Device, victim.Block));
        return 0;
    }

    // Removes an unpinned clean block from the cache, keeping its slot.
    private void Drop(Entry e)
    {
        Debug.Assert(e.Pins == 0 && !e.Dirty, "only unpinned clean blocks are dropped");
        Unlink(e);
        _map.Remove(new CacheKey(e.Device, e.Block));
        Policy.Evicted.Raise(new CacheKey(e.Device, e.Block));
        _free.Push(e);
    }

    // Writes `dirty` back, up to DiskIo.MaxInFlight at once. 0, or the first error (those blocks stay dirty).
    private int WriteBack(List<Entry> dirty)
    {
        int result = 0, started = 0, next = 0;
        while (next < dirty.Count || started > 0)
        {
            if (next < dirty.Count && started < _writes.Length && Disks.HasRoom && PrepareWrite(dirty[next], out var request))
            {
                int tag = Disks.Start(request);
                Debug.Assert(tag >= 0, "HasRoom held");
                _writes[started++] = (tag, request, dirty[next++]);
                continue;
            }
            if (started == 0 && _reading.Count > 0) { FinishReadAhead(_reading[0]); continue; }   // reads ahead hold the tags
            if (started == 0) return -Errno.ENOMEM;             // no request could be had and none is pending
            var (t, req, entry) = _writes[0];
            Array.Copy(_writes, 1, _writes, 0, --started);
            int status = Disks.Wait(t);
            _requests.Free(req);
            if (status == 0) entry.Dirty = false;
            else if (result == 0) result = -Errno.EIO;
        }
        return result;
    }

    private bool PrepareWrite(Entry e, out BlockRequest request)
    {
        int count = SectorsIn(e.Device, e.Block);
        if (!_requests.TryAllocate(BlockOperation.Write, e.Device, (ulong)(e.Block * SectorsPerBlock), count, out request)) return false;
        e.Data[..request.Data.Length].CopyTo(request.Data);
        return true;
    }

    // Reads or writes one block through a request and waits for it: 0, -ENOMEM (no request) or the disk's -errno.
    private int Transfer(Entry e, int device, long block, bool write)
    {
        MakeRoom();
        int count = SectorsIn(device, block);
        if (!_requests.TryAllocate(write ? BlockOperation.Write : BlockOperation.Read, device, (ulong)(block * SectorsPerBlock), count, out var request))
            return -Errno.ENOMEM;
        if (write) e.Data[..request.Data.Length].CopyTo(request.Data);
        int status = Disks.Run(request);
        if (!write && status == 0)
        {
            request.Data.CopyTo(e.Data);
            e.Data[request.Data.Length..].Clear();
        }
        _requests.Free(request);
        return status;
    }

    // Sectors of block `block` that lie on the disk (the last block of an odd-sized disk is short).
    private int SectorsIn(int device, long block) =>
        (int)Math.Min(SectorsPerBlock, Disks.Device(device)!.SectorCount - block * SectorsPerBlock);

    private Entry Pinned(CacheBlock cached, string what)
    {
        var e = (Entry)cached.Slot(what);
        if (e.Pins <= 0) throw new Sdk.Buffers.StaleBufferException($"{what}: the cache block is not pinned");
        return e;
    }

    private void MakeNewest(Entry e)
    {
        if (_newest == e) return;
        Unlink(e);
        e.Older = _newest;
        if (_newest != null) _newest.Newer = e; else _oldest = e;
        _newest = e;
    }

    private void Unlink(Entry e)
    {
        if (e.Older != null) e.Older.Newer = e.Newer; else if (_oldest == e) _oldest = e.Newer;
        if (e.Newer != null) e.Newer.Older = e.Older; else if (_newest == e) _newest = e.Older;
        e.Older = e.Newer = null;
    }

    private static Event<CacheKey, bool> Notification(Dispatcher.Dispatcher d, string name) =>
        Trap.TrapEvents.Declare<CacheKey>(d, Owner, name, static _ => false);

    private static Event<CacheKey, CacheVictim> Victim(Dispatcher.Dispatcher d)
    {
        var ev = d.Declare(Owner, "Cache.ChooseVictim", static (CacheKey _) => default(CacheVictim), out var intrinsic,
            new EventOptions<CacheKey, CacheVictim> { Default = static _ => default });
        intrinsic.Uninstall();
        return ev;
    }
}
