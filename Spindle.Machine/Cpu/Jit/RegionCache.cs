using System.Collections.Concurrent;
using System.Diagnostics;

namespace Spindle.Machine.Cpu.Jit;

/// <summary>
/// The compiling engine's code cache: compiled regions by id (a block names its region by id, see
/// <see cref="Block.Region"/>), compile requests (synchronous at threshold 0, else on the thread pool) and their
/// results waiting for the hart to install them. Bounded: past <see cref="MaxRegions"/> the table starts afresh,
/// and a block naming a region of the old table finds it gone or belonging elsewhere (<see cref="Find"/> checks the
/// frame and offset). Everything but the compile itself runs on the hart's thread.
/// </summary>
internal sealed class RegionCache(ExecutionEngineKind kind, int threshold)
{
    /// <summary>Block entries before the compiling engine asks for a block's region.</summary>
    public const int DefaultThreshold = 200;

    /// <summary>Regions kept before the table starts afresh.</summary>
    public const int MaxRegions = 4096;

    private readonly List<Region> _table = new();
    private readonly ConcurrentQueue<Region> _compiled = new();
    private int _generation;
    private long _compileTicks, _compiledRegions;

    /// <summary>The engine kind this cache serves (its name is the engine's).</summary>
    public ExecutionEngineKind Kind { get; } = kind;

    /// <summary>Block entries before a region is requested; 0 compiles synchronously on first entry.</summary>
    public int Threshold { get; } = threshold;

    /// <summary>The interpreter the regions run on (their code is bound to it).</summary>
    public Interpreter Owner = null!;

    /// <summary>Instructions retired in compiled code.</summary>
    public long Retired;

    /// <summary>Entries into compiled code from the dispatch loop, and region runs in all (hart thread only).</summary>
    public long Entries, Runs;

    /// <summary>What the cache did so far.</summary>
    public EngineStatistics Statistics => new(Interlocked.Read(ref _compiledRegions),
        TimeSpan.FromTicks(Interlocked.Read(ref _compileTicks) * TimeSpan.TicksPerSecond / Stopwatch.Frequency), Retired,
        Entries, Runs);

    /// <summary>The region with <paramref name="id"/> if it was compiled for <paramref name="frame"/> at <paramref name="head"/>, else null.</summary>
    public Region? Find(int id, uint frame, int head)
    {
        if ((uint)(id - 1) >= (uint)_table.Count) return null;
        Region r = _table[id - 1];
        return r.Frame == frame && r.Head == head ? r : null;
    }

    /// <summary>
    /// Asks for the region of <paramref name="frame"/> (whose bytes are <paramref name="page"/>, as of code epoch
    /// <paramref name="epoch"/>) starting at byte offset <paramref name="head"/>. At threshold 0 compiles it now
    /// and returns it, added; otherwise compiles it in the background and returns null.
    /// </summary>
    public Region? Request(uint frame, int head, ReadOnlySpan<byte> page, ulong epoch)
    {
        byte[] copy = page.ToArray();
        if (Threshold == 0) return Add(Compile(frame, head, copy, epoch));
        int generation = _generation;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            Region r = Compile(frame, head, copy, epoch);
            r.Generation = generation;
            _compiled.Enqueue(r);
        }, null);
        return null;
    }

    /// <summary>The next region compiled in the background for the current generation, added to the table.</summary>
    public bool TryTakeCompiled(out Region region)
    {
        while (_compiled.TryDequeue(out region!))
            if (region.Generation == _generation) { Add(region); return true; }
        return false;
    }

    /// <summary>Drops every region (fence.i, the kernel's invalidation); compiles under way are dropped when done.</summary>
    public void Clear()
    {
        _table.Clear();
        _generation++;
    }

    private Region Add(Region r)
    {
        if (_table.Count >= MaxRegions) Clear();
        _table.Add(r);
        r.Id = _table.Count;
        return r;
    }

    private Region Compile(uint frame, int head, byte[] page, ulong epoch)
    {
        long t0 = Stopwatch.GetTimestamp();
        Region r = RegionCompiler.Compile(Owner, frame, head, page, epoch,
            Threshold == 0 ? RegionScan.MaxInstructionsForced : RegionScan.MaxInstructions);
        Interlocked.Add(ref _compileTicks, Stopwatch.GetTimestamp() - t0);
        Interlocked.Increment(ref _compiledRegions);
        return r;
    }
}
