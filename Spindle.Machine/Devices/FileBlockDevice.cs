using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Spindle.Machine.Devices;

/// <summary>
/// A block device backed by a host image file, the disk behind <c>--disk FILE[,ro]</c>: 512-byte sectors, up to
/// <see cref="QueueDepth"/> requests in flight, one host I/O thread that reads and writes the file and raises the
/// interrupt line when a request has completed.
/// <para>
/// Contract (see <see cref="IBlockDevice"/>). The CPU's thread submits and takes completions; the I/O thread
/// takes submissions in order and completes each one. A submission with a bad range completes at once with
/// -EINVAL without reaching the file; a write to a read-only device with -EROFS. A flush is <c>fsync</c> of the
/// image (<see cref="RandomAccess.FlushToDisk"/>), done after every write submitted before it. Only the image's
/// whole sectors are the disk (a trailing partial sector is not addressable). <see cref="Dispose"/> stops the
/// I/O thread after the requests already queued and closes the file.
/// </para>
/// </summary>
public sealed class FileBlockDevice : IBlockDevice, IDisposable
{
    /// <summary>Most requests queued or in flight at once.</summary>
    public const int QueueDepth = 64;

    private const int EIO = 5, EINVAL = 22, EROFS = 30;

    private enum Kind : byte { Read, Write, Flush }

    private readonly record struct Request(ulong Tag, Kind Kind, long Sector, Memory<byte> Buffer);

    private readonly SafeFileHandle _file;
    private readonly Queue<Request> _submitted = new(QueueDepth);        // guarded by _submitted
    private readonly Queue<(ulong Tag, int Status)> _completed = new(QueueDepth);   // guarded by _completed
    private readonly SemaphoreSlim _work = new(0);
    private readonly Thread _io;
    private InterruptLines? _lines;
    private int _inFlight;                                               // submitted and not yet taken by TryComplete
    private volatile bool _stopping;

    /// <summary>Opens <paramref name="path"/> as disk <paramref name="name"/> ("vda"); read-only if <paramref name="readOnly"/>.</summary>
    /// <exception cref="IOException">The image cannot be opened (the message names it and why).</exception>
    public FileBlockDevice(string path, string name, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        ReadOnly = readOnly;
        try { _file = File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.Read); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"disk image {path}: {e.Message}", e);
        }
        SectorCount = RandomAccess.GetLength(_file) / SectorSize;
        Path = path;
        _io = new Thread(Serve) { IsBackground = true, Name = $"disk {name}" };
    }

    /// <summary>The image's host path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int InterruptLine { get; private set; } = -1;

    /// <inheritdoc/>
    public int SectorSize => 512;

    /// <inheritdoc/>
    public long SectorCount { get; }

    /// <inheritdoc/>
    public bool ReadOnly { get; }

    /// <inheritdoc/>
    public Action? OnInterrupt { get; set; }

    /// <inheritdoc/>
    public void Attach(InterruptLines lines)
    {
        if (_lines != null) throw new InvalidOperationException($"disk {Name} is already attached");
        _lines = lines;
        InterruptLine = lines.Claim($"disk {Name}", () => OnInterrupt?.Invoke());
        _io.Start();
    }

    /// <inheritdoc/>
    public bool Submit(ulong tag, bool write, long sector, Memory<byte> buffer)
    {
        if (!Reserve()) return false;
        long count = buffer.Length / SectorSize;
        if (buffer.Length == 0 || buffer.Length % SectorSize != 0 || sector < 0 || sector > SectorCount - count)
            Complete(tag, -EINVAL);
        else if (write && ReadOnly)
            Complete(tag, -EROFS);
        else
            Enqueue(new Request(tag, write ? Kind.Write : Kind.Read, sector, buffer));
        return true;
    }

    /// <inheritdoc/>
    public bool SubmitFlush(ulong tag)
    {
        if (!Reserve()) return false;
        Enqueue(new Request(tag, Kind.Flush, 0, default));
        return true;
    }

    /// <inheritdoc/>
    public bool TryComplete(out ulong tag, out int status)
    {
        lock (_completed)
        {
            if (_completed.TryDequeue(out var done))
            {
                (tag, status) = done;
                _inFlight--;
                return true;
            }
        }
        (tag, status) = (0, 0);
        return false;
    }

    /// <summary>Stops the I/O thread once the queued requests are done, then closes the image. Idempotent.</summary>
    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _work.Release();
        if (_io.IsAlive) _io.Join();
        _file.Dispose();
        _work.Dispose();
    }

    // A place in the queue: false when QueueDepth requests are submitted and not yet taken back.
    private bool Reserve()
    {
        if (_lines == null) throw new InvalidOperationException($"disk {Name} is not attached");
        ObjectDisposedException.ThrowIf(_stopping, this);
        lock (_completed)
        {
            if (_inFlight == QueueDepth) return false;
            _inFlight++;
            return true;
        }
    }

    private void Enqueue(Request request)
    {
        lock (_submitted) _submitted.Enqueue(request);
        _work.Release();
    }

    // Any thread: the request is done; the CPU hears of it through the line.
    private void Complete(ulong tag, int status)
    {
        lock (_completed) _completed.Enqueue((tag, status));
        _lines!.Raise(InterruptLine);
    }

    // The I/O thread: serve requests in order until stopped and drained.
    private void Serve()
    {
        while (true)
        {
            _work.Wait();
            Request r;
            lock (_submitted)
            {
                if (!_submitted.TryDequeue(out r))
                {
                    Debug.Assert(_stopping, "the semaphore counts submissions and the stop");
                    return;
                }
            }
            Complete(r.Tag, Transfer(r));
        }
    }

    // One request against the image: 0, or -EIO when the host refuses or the file shrank under us.
    private int Transfer(in Request r)
    {
        try
        {
            long offset = r.Sector * SectorSize;
            switch (r.Kind)
            {
                case Kind.Read:
                    int n = RandomAccess.Read(_file, r.Buffer.Span, offset);
                    if (n < r.Buffer.Length) { r.Buffer.Span[n..].Clear(); return -EIO; }
                    return 0;
                case Kind.Write:
                    RandomAccess.Write(_file, r.Buffer.Span, offset);
                    return 0;
                default:
                    if (!ReadOnly) RandomAccess.FlushToDisk(_file);
                    return 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return -EIO;
        }
    }
}
