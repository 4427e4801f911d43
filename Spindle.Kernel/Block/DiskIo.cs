using System.Diagnostics;
using Spindle.Machine.Devices;
using Spindle.Sdk.Block;

namespace Spindle.Kernel.Block;

/// <summary>
/// The kernel's driver of the machine's disks: it moves a <see cref="BlockRequest"/> to its
/// <see cref="IBlockDevice"/>, takes completions when the disk's interrupt line is raised (or while a caller
/// waits), and completes the request.
/// <para>
/// Contract. CPU's thread only. <see cref="Start"/> lends a request to the device (tag: the request's place in
/// the in-flight table); <see cref="Wait"/> returns when it has completed. While waiting, the CPU's thread takes
/// completions itself and sleeps on the doorbell the disks ring: the interrupt line that rings it stays pending
/// for the scheduler's next drain, so nothing is lost. Waiting holds the CPU's thread (the VFS contract is
/// synchronous; see docs/STORAGE.md, Limitations).
/// </para>
/// </summary>
public sealed class DiskIo
{
    /// <summary>Requests in flight at once over all disks.</summary>
    public const int MaxInFlight = 32;

    private readonly List<(IBlockDevice Device, string Name)> _disks = [];
    private readonly BlockRequest[] _inFlight = new BlockRequest[MaxInFlight];   // by tag; null handle: free
    private readonly Doorbell _bell;
    private int _busy;

    /// <summary>A driver whose disks ring <paramref name="bell"/>.</summary>
    public DiskIo(Doorbell bell) => _bell = bell ?? throw new ArgumentNullException(nameof(bell));

    /// <summary>The disks, in the order added (device numbers).</summary>
    public int Count => _disks.Count;

    /// <summary>
    /// Adds <paramref name="device"/> as the next device number, named vda, vdb, ... in order; its interrupt handler
    /// becomes this driver's. Call before the device is attached.
    /// </summary>
    public int Add(IBlockDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (_disks.Count == 26) throw new InvalidOperationException("at most 26 disks (vda .. vdz)");
        string name = "vd" + (char)('a' + _disks.Count);
        _disks.Add((device, name));
        device.OnInterrupt = Poll;
        return _disks.Count - 1;
    }

    /// <summary>The device numbered <paramref name="device"/>, or null.</summary>
    public IBlockDevice? Device(int device) => (uint)device < (uint)_disks.Count ? _disks[device].Device : null;

    /// <summary>The name of disk <paramref name="device"/> (vda ...).</summary>
    public string Name(int device) => _disks[device].Name;

    /// <summary>The device number named <paramref name="name"/> ("vda" or "/dev/vda"), or -1.</summary>
    public int Find(string name)
    {
        if (name.StartsWith("/dev/", StringComparison.Ordinal)) name = name[5..];
        for (int i = 0; i < _disks.Count; i++) if (_disks[i].Name == name) return i;
        return -1;
    }

    /// <summary>True if another request may start now.</summary>
    public bool HasRoom => _busy < MaxInFlight;

    /// <summary>
    /// Sends <paramref name="request"/> (read, write or flush) to its device. Returns its tag, or -1 if the driver
    /// or the device is full (the request is untouched). The request belongs to the driver until <see cref="Wait"/>.
    /// </summary>
    public int Start(BlockRequest request)
    {
        var device = Device(request.Device) ?? throw new ArgumentOutOfRangeException(nameof(request), $"no disk {request.Device}");
        int tag = Array.FindIndex(_inFlight, r => r.IsNull);
        if (tag < 0) return -1;
        bool queued = request.Operation == BlockOperation.Flush
            ? device.SubmitFlush((ulong)tag)
            : device.Submit((ulong)tag, request.Operation == BlockOperation.Write, (long)request.Sector,
                request.Buffer("Start").Storage.AsMemory(0, request.Count * BlockRequest.SectorSize));
        if (!queued) return -1;
        _inFlight[tag] = request;
        _busy++;
        return tag;
    }

    /// <summary>Waits until the request of <paramref name="tag"/> completes; returns its status (0 or -errno) and frees the tag.</summary>
    public int Wait(int tag)
    {
        var request = _inFlight[tag];
        Debug.Assert(!request.IsNull, "a tag Start handed out and Wait has not taken");
        while (!request.IsComplete)
        {
            _bell.Clear();                       // first: a completion after the look below rings again
            Poll();
            if (request.IsComplete) break;
            _bell.Wait(-1);
        }
        _inFlight[tag] = default;
        _busy--;
        return request.Status;
    }

    /// <summary>Starts <paramref name="request"/> and waits for it: its status. Caller: <see cref="HasRoom"/>.</summary>
    public int Run(BlockRequest request)
    {
        int tag = Start(request);
        if (tag < 0) throw new InvalidOperationException($"disk {Name(request.Device)}: no room for a request ({_busy} in flight)");
        return Wait(tag);
    }

    // Takes every completion the disks hold and completes its request (the line's handler, and while waiting).
    private void Poll()
    {
        foreach (var (device, _) in _disks)
            while (device.TryComplete(out ulong tag, out int status))
                if (tag < MaxInFlight && !_inFlight[tag].IsNull && !_inFlight[tag].IsComplete) _inFlight[tag].Complete(status);
    }
}
