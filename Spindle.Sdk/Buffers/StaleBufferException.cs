namespace Spindle.Sdk.Buffers;

/// <summary>
/// A pooled buffer (<see cref="Net.Mbuf"/>, <see cref="Block.BlockRequest"/>) was used through a handle that
/// is no longer valid: it was freed (the buffer went back to its pool, perhaps already lent again), or
/// freed a second time. The buffer itself is untouched: a stale handle never reads or writes it.
/// </summary>
public sealed class StaleBufferException : InvalidOperationException
{
    internal StaleBufferException(string message) : base(message) { }
}

/// <summary>A pooled buffer was asked for more room than it has (no headroom to prepend, no tailroom to append, a range out of bounds).</summary>
public sealed class BufferRangeException : ArgumentOutOfRangeException
{
    internal BufferRangeException(string message) : base(null, message) { }
}
