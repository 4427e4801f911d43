using System.Diagnostics;
using Spindle.Sdk.Buffers;

namespace Spindle.Kernel.Buffers;

// The free list under the kernel's packet and block-request pools. Contract: CPU's thread only (no locks);
// at most `capacity` buffers ever exist; a buffer is made the first time the free list is empty and fewer
// than `capacity` exist, and reused forever after, so a warm pool allocates nothing. Lend/Return keep the
// buffer's InUse flag and generation: Return bumps the generation, so every handle lent before goes stale.
internal sealed class BoundedPool<T> where T : PooledBuffer
{
    private readonly T[] _free;
    private readonly Func<T> _make;
    private int _freeCount, _made;

    public BoundedPool(int capacity, Func<T> make)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _free = new T[capacity];
        _make = make;
    }

    public int Capacity => _free.Length;

    public int InUse => _made - _freeCount;

    /// <summary>A buffer to lend, marked in use; null when all <see cref="Capacity"/> are lent.</summary>
    public T? Lend()
    {
        T b;
        if (_freeCount > 0)
        {
            b = _free[--_freeCount];
            _free[_freeCount] = null!;
        }
        else if (_made < _free.Length)
        {
            b = _make();
            b.Pool = this;
            _made++;
        }
        else return null;
        Debug.Assert(!b.InUse, "a free buffer is not in use");
        b.InUse = true;
        return b;
    }

    /// <summary>Takes <paramref name="b"/> back (the caller checked its handle is live); its handles go stale.</summary>
    public void Return(T b)
    {
        if (!ReferenceEquals(b.Pool, this)) throw new StaleBufferException("Free: the buffer belongs to another pool");
        Debug.Assert(b.InUse && _freeCount < _free.Length, "only a lent buffer comes back");
        b.InUse = false;
        b.Generation++;
        _free[_freeCount++] = b;
    }
}
