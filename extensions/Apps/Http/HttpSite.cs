using Spindle.Sdk.Time;

namespace Spindle.Extensions.Http;

/// <summary>
/// What every connection of one server shares: the document root, the cache, one scratch buffer for streaming
/// (the CPU's thread runs one connection at a time), the clock, and counters.
/// </summary>
public sealed class HttpSite(DocumentRoot root, FileCache cache, IClock? clock)
{
    /// <summary>The files served.</summary>
    public DocumentRoot Root { get; } = root;

    /// <summary>The server's cache of small files.</summary>
    public FileCache Cache { get; } = cache;

    /// <summary>The buffer a streamed file passes through on its way to TCP.</summary>
    public byte[] Scratch { get; } = new byte[16 << 10];

    /// <summary>Requests answered so far.</summary>
    public long Requests { get; set; }

    /// <summary>Monotonic nanoseconds (0 without a clock).</summary>
    public long Now() => clock?.MonotonicNanoseconds ?? 0;

    /// <summary>Wall-clock Unix seconds for the Date header; -1 without a clock (no Date header).</summary>
    public long Seconds() => clock == null ? -1 : clock.RealtimeNanoseconds / 1_000_000_000;
}
