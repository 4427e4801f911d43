using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Block;

namespace Spindle.Extensions.Cache.Mru;

/// <summary>
/// Most-recently-used eviction for the buffer cache, the scan-resistant choice SPIN's and cachebpf's papers use
/// for a workload that reads large files once beside a small hot set: the block used last is the one least likely
/// to be used again during a scan, so it goes first and the older hot blocks stay. It keeps its own order from the
/// Added, Accessed and Evicted events and answers ChooseVictim with its newest block that is not in use (pinned
/// blocks are skipped: the block a reader holds is the newest). Contract: the kernel ignores an answer naming a
/// pinned block (LRU decides then), and unloading the extension removes its handlers (LRU again).
/// </summary>
public sealed class MruPolicy : IExtension
{
    private readonly Dictionary<CacheKey, long> _used = [];
    private IBufferCache _cache = null!;
    private long _clock;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _cache = context.Import<IBufferCache>();
        var policy = _cache.Policy;
        context.Dispatcher.Install(policy.Added, Touch);
        context.Dispatcher.Install(policy.Accessed, Touch);
        context.Dispatcher.Install(policy.Evicted, key => _used.Remove(key));
        context.Dispatcher.Install(policy.ChooseVictim, Newest);
    }

    private bool Touch(CacheKey key)
    {
        _used[key] = ++_clock;
        return true;
    }

    // The unpinned block used most recently (no choice if the policy knows none).
    private CacheVictim Newest(CacheKey lru)
    {
        long best = -1;
        CacheKey victim = default;
        foreach (var (key, stamp) in _used)
            if (stamp > best && _cache.IsEvictable(key)) (best, victim) = (stamp, key);
        return best < 0 ? default : CacheVictim.Of(victim);
    }
}
