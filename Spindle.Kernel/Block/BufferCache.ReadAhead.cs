using System.Diagnostics;
using Spindle.Sdk.Block;

namespace Spindle.Kernel.Block;

// Read-ahead: a miss right after a miss of the block before it (on the same disk) starts reads of the next
// ReadAheadBlocks blocks without waiting for them; a reader reading one of those later finishes it (waiting only if
// its read is still in flight) and, once it holds its pin, moves the window on, so a sequential reader keeps the
// disk ahead of it. Finishing never starts new reads (so settling the cache ends).
// Contract: a block being read ahead is in the map with Tag >= 0, pinned once by the cache (never a victim), and in
// _reading; it becomes an ordinary block when finished. Every path that needs a request tag or a settled cache
// (Transfer, WriteBack, Sync) finishes reads ahead first.
public sealed partial class BufferCache
{
    /// <summary>Blocks read ahead of a sequential reader (0: none). At most a quarter of the cache is being read ahead.</summary>
    public int ReadAheadBlocks { get; set; } = 8;

    private readonly List<Entry> _reading = [];                 // blocks being read ahead, oldest first
    private readonly Dictionary<int, long> _lastRead = [];      // per disk: the last block a reader missed or read ahead

    /// <summary>Blocks read ahead so far (and found by a reader or not).</summary>
    public long ReadsAhead { get; private set; }

    // After a miss of `block`: if the reader is sequential, start reading the blocks after it.
    private void ReadAheadAfter(int device, long block)
    {
        bool sequential = _lastRead.TryGetValue(device, out long last) && last == block - 1;
        _lastRead[device] = block;
        if (sequential) StartReadsAhead(device, block + 1);
    }

    // A reader found `block` read ahead (it is pinned now): the window moves on past it.
    private void ReadAheadFound(int device, long block)
    {
        if (!_lastRead.TryGetValue(device, out long last) || last < block) _lastRead[device] = block;
        StartReadsAhead(device, block + 1);
    }

    // Starts reads of the blocks from `from` on that are not cached, up to the window, while tags and requests last.
    private void StartReadsAhead(int device, long from)
    {
        long end = Math.Min(from + Math.Max(ReadAheadBlocks, 0), (Disks.Device(device)!.SectorCount + SectorsPerBlock - 1) / SectorsPerBlock);
        for (long b = from; b < end; b++)
        {
            var key = new CacheKey(device, b);
            if (_map.ContainsKey(key)) continue;
            if (_reading.Count >= Math.Min(ReadAheadBlocks, Capacity / 4) || !Disks.HasRoom) return;
            if (TakeSlot(out Entry? e) < 0) return;
            if (!_requests.TryAllocate(BlockOperation.Read, device, (ulong)(b * SectorsPerBlock), SectorsIn(device, b), out var request))
            {
                _free.Push(e!);
                return;
            }
            int tag = Disks.Start(request);
            if (tag < 0)
            {
                _requests.Free(request);
                _free.Push(e!);
                return;
            }
            (e!.Device, e.Block, e.Pins, e.Dirty, e.Tag, e.Request) = (device, b, 1, false, tag, request);
            _map.Add(key, e);
            MakeNewest(e);
            _reading.Add(e);
            ReadsAhead++;
        }
    }

    // Finishes the read ahead of `e` (waiting if it is in flight): 0, its data in place and its pin dropped; or the
    // disk's -errno, the block gone from the cache (a reader then reads it itself).
    private int FinishReadAhead(Entry e)
    {
        Debug.Assert(e.Tag >= 0 && e.Pins >= 1, "a block being read ahead, pinned by the cache");
        int status = Disks.Wait(e.Tag);
        var request = e.Request;
        if (status == 0)
        {
            request.Data.CopyTo(e.Data);
            e.Data[request.Data.Length..].Clear();
        }
        _requests.Free(request);
        (e.Tag, e.Request) = (-1, default);
        _reading.Remove(e);
        if (--e.Pins == 0) e.Generation++;
        var key = new CacheKey(e.Device, e.Block);
        if (status < 0)
        {
            Unlink(e);
            _map.Remove(key);
            _free.Push(e);
            return status;
        }
        Policy.Added.Raise(key);
        return 0;
    }

    // A tag for a synchronous transfer: reads ahead that hold every tag are finished, oldest first.
    private void MakeRoom()
    {
        while (!Disks.HasRoom && _reading.Count > 0) FinishReadAhead(_reading[0]);
    }

    // Finishes every read ahead (before Sync and Invalidate look at the cache).
    private void FinishReadsAhead()
    {
        while (_reading.Count > 0) FinishReadAhead(_reading[0]);
    }
}
