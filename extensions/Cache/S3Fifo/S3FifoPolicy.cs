using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Block;

namespace Spindle.Extensions.Cache.S3Fifo;

/// <summary>
/// S3-FIFO eviction for the buffer cache (Yang et al., SOSP 2023): a small FIFO that new blocks enter (a tenth of the
/// cache), a main FIFO for blocks used again, and a ghost FIFO of keys recently evicted from the small one. A block
/// leaving the small FIFO moves to the main one if it was used there, else it is the victim (and its key a ghost); a
/// block leaving the main FIFO gets another round per use (at most three), else it is the victim; a block that comes
/// back while its key is a ghost enters the main FIFO. One-time blocks (a scan) go through the small FIFO only, so a
/// hot set in the main one survives them.
/// <para>Contract: the queues hold keys; a key's place is in <c>_where</c>, so a key queued twice (moved, evicted and
/// back) counts only where <c>_where</c> says. Blocks in use (pinned) are passed over. Every loop is bounded by the
/// queues' lengths.</para>
/// </summary>
public sealed class S3FifoPolicy : IExtension
{
    private enum Place : byte { Small, Main }

    private readonly Dictionary<CacheKey, (Place Place, int Uses)> _where = [];
    private readonly Queue<CacheKey> _small = new(), _main = new(), _ghosts = new();
    private readonly HashSet<CacheKey> _ghost = [];
    private IBufferCache _cache = null!;
    private int _inSmall;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _cache = context.Import<IBufferCache>();
        var policy = _cache.Policy;
        context.Dispatcher.Install(policy.Added, Added);
        context.Dispatcher.Install(policy.Accessed, Accessed);
        context.Dispatcher.Install(policy.Evicted, Evicted);
        context.Dispatcher.Install(policy.ChooseVictim, Victim);
    }

    private bool Added(CacheKey key)
    {
        bool wasGhost = _ghost.Remove(key);
        var place = wasGhost ? Place.Main : Place.Small;
        _where[key] = (place, 0);
        (place == Place.Main ? _main : _small).Enqueue(key);
        if (place == Place.Small) _inSmall++;
        return true;
    }

    private bool Accessed(CacheKey key)
    {
        if (_where.TryGetValue(key, out var at) && at.Uses < 3) _where[key] = (at.Place, at.Uses + 1);
        return true;
    }

    private bool Evicted(CacheKey key)
    {
        if (_where.Remove(key, out var at) && at.Place == Place.Small) _inSmall--;
        return true;
    }

    // The small FIFO first while it holds more than its tenth, else the main one; then the other.
    private CacheVictim Victim(CacheKey lru)
    {
        bool smallFirst = _inSmall * 10 > _cache.Capacity;
        if (FromQueue(smallFirst ? Place.Small : Place.Main, out CacheKey victim) || FromQueue(smallFirst ? Place.Main : Place.Small, out victim))
            return CacheVictim.Of(victim);
        return default;
    }

    // Takes keys off the head of one FIFO until one is the victim: each key is looked at once at most.
    private bool FromQueue(Place place, out CacheKey victim)
    {
        var queue = place == Place.Small ? _small : _main;
        for (int n = queue.Count; n > 0; n--)
        {
            var key = queue.Dequeue();
            if (!_where.TryGetValue(key, out var at) || at.Place != place) continue;     // a stale entry
            if (at.Uses == 0 && _cache.IsEvictable(key))
            {
                queue.Enqueue(key);                  // stays queued until the Evicted event removes it
                if (place == Place.Small) Remember(key);
                victim = key;
                return true;
            }
            if (place == Place.Small && at.Uses > 0)
            {
                _where[key] = (Place.Main, 0);
                _inSmall--;
                _main.Enqueue(key);
            }
            else
            {
                _where[key] = (place, at.Uses > 0 ? at.Uses - 1 : 0);
                queue.Enqueue(key);
            }
        }
        victim = default;
        return false;
    }

    // A key evicted from the small FIFO: a ghost, as many as the cache holds blocks.
    private void Remember(CacheKey key)
    {
        if (!_ghost.Add(key)) return;
        _ghosts.Enqueue(key);
        while (_ghosts.Count > _cache.Capacity && _ghosts.TryDequeue(out var old)) _ghost.Remove(old);
    }
}
