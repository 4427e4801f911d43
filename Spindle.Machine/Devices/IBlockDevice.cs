namespace Spindle.Machine.Devices;

/// <summary>
/// A disk of fixed-size sectors (<see cref="FileBlockDevice"/>: a host image file).
/// <para>
/// Contract. A transfer is submitted, then completes: <see cref="Submit"/> queues a read or write of whole
/// sectors, <see cref="SubmitFlush"/> a flush, and both return at once (false if the device's queue is full);
/// several requests may be in flight. The device raises its line when requests have completed, and
/// <see cref="TryComplete"/> then hands back each one's tag and status (0 or -errno: -EIO for a media error,
/// -EINVAL for a range past <see cref="SectorCount"/> or a buffer that is not whole sectors, -EROFS for a write
/// to a read-only device). Completions may come in any order. The buffer of a submitted request belongs to the
/// device until it completes. Called on the CPU's thread; no call waits and none allocates per request.
/// </para>
/// </summary>
public interface IBlockDevice : IDevice
{
    /// <summary>Bytes per sector (512 or 4096).</summary>
    int SectorSize { get; }

    /// <summary>The device's size in sectors.</summary>
    long SectorCount { get; }

    /// <summary>True if writes are refused (-EROFS).</summary>
    bool ReadOnly { get; }

    /// <summary>
    /// The driver's handler, run on the CPU's thread when the device's line is raised (set it before
    /// <see cref="IDevice.Attach"/>; null: the raise does nothing and completions wait for <see cref="TryComplete"/>).
    /// </summary>
    Action? OnInterrupt { get; set; }

    /// <summary>
    /// Queues a transfer of <paramref name="buffer"/>.Length / <see cref="SectorSize"/> sectors from
    /// <paramref name="sector"/>: into the buffer, or out of it when <paramref name="write"/>. False if the
    /// queue is full. <paramref name="tag"/> comes back with the completion.
    /// </summary>
    bool Submit(ulong tag, bool write, long sector, Memory<byte> buffer);

    /// <summary>
    /// Queues a flush: it completes once every write that completed before it was submitted is durable
    /// (on the backing medium). False if the queue is full.
    /// </summary>
    bool SubmitFlush(ulong tag);

    /// <summary>Takes one completed request: its tag and status (0 or -errno); false if none has completed.</summary>
    bool TryComplete(out ulong tag, out int status);
}
