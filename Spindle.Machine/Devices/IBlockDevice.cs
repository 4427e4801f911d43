namespace Spindle.Machine.Devices;

/// <summary>
/// A disk of fixed-size sectors. No backend exists yet (the storage issue adds them behind this trait);
/// the contract is fixed here so that the buffer cache and file systems are written against it.
/// <para>
/// Contract. A transfer is submitted, then completes: <see cref="Submit"/> queues a read or write of whole
/// sectors and returns at once (false if the device's queue is full); the device raises its line when
/// requests have completed, and <see cref="TryComplete"/> then hands back each one's tag and status
/// (0 or -errno: -EIO for a media error, -EINVAL for a range past <see cref="SectorCount"/>). The buffer of a
/// submitted request belongs to the device until it completes. Called on the CPU's thread; no call waits
/// and none allocates per request.
/// </para>
/// </summary>
public interface IBlockDevice : IDevice
{
    /// <summary>Bytes per sector (512 or 4096).</summary>
    int SectorSize { get; }

    /// <summary>The device's size in sectors.</summary>
    long SectorCount { get; }

    /// <summary>
    /// Queues a transfer of <paramref name="buffer"/>.Length / <see cref="SectorSize"/> sectors from
    /// <paramref name="sector"/>: into the buffer, or out of it when <paramref name="write"/>. False if the
    /// queue is full. <paramref name="tag"/> comes back with the completion.
    /// </summary>
    bool Submit(ulong tag, bool write, long sector, Memory<byte> buffer);

    /// <summary>Takes one completed request: its tag and status (0 or -errno); false if none has completed.</summary>
    bool TryComplete(out ulong tag, out int status);
}
