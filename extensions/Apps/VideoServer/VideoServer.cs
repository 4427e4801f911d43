using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Net;
using Spindle.Sdk.Time;
using Spindle.Sdk.Video;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Video;

/// <summary>
/// The in-kernel video server (SPIN's video server extension): frames read through the buffer cache from
/// <c>/video.raw</c> on the first disk (mounted read-only as ext2 by the server; <see cref="Width"/> ×
/// <see cref="Height"/> XRGB8888 frames one after another, as <c>ffmpeg -pix_fmt bgra -f rawvideo</c> writes them),
/// sent to every subscriber at <see cref="FramesPerSecond"/> as <see cref="VideoWire"/> packets, from an alarm: no
/// strand, no copy to user space. Each frame is read from the file once per tick into the server's buffer; each
/// packet is copied from there into a pooled packet buffer per subscriber and handed to UDP.
/// <para>Subscriptions arrive as datagrams on <see cref="VideoWire.ServerPort"/> (at most <see cref="MaxSubscribers"/>).
/// A tick that comes late sends the frame that is due, skipping the ones whose time has passed.</para>
/// <para>Limitations: the file, size and rate are fixed (extensions take no arguments yet); every subscriber gets
/// the same frame at the same time (one stream shared, as a broadcast); a packet the pool cannot lend is not sent
/// (nor counted: there is no statistics service yet).</para>
/// </summary>
public sealed class VideoServer : IExtension
{
    /// <summary>Frame width in pixels.</summary>
    public const int Width = 160;

    /// <summary>Frame height in rows.</summary>
    public const int Height = 120;

    /// <summary>Frames per second.</summary>
    public const int FramesPerSecond = 30;

    /// <summary>The most subscribers served.</summary>
    public const int MaxSubscribers = 64;

    private const int Device = 0;
    private const long PeriodNs = 1_000_000_000 / FramesPerSecond;
    private static ReadOnlySpan<byte> FileName => "video.raw"u8;

    private readonly List<(uint Address, ushort Port)> _subscribers = new();
    private readonly byte[] _frame = new byte[Width * Height * 4];
    private IUdp _udp = null!;
    private IMbufPool _pool = null!;
    private IAlarm _alarm = null!;
    private Vnode _file = null!;
    private long _frames, _next;

    private long _frameCount;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _udp = context.Import<IUdp>();
        _pool = context.Import<IMbufPool>();
        var mount = context.Import<IFileSystemTypes>().Mount.Raise(new MountRequest("ext2", Device, ReadOnly: true));
        if (mount.FileSystem == null) throw new InvalidOperationException($"video server: disk {Device} does not mount: {mount.Reason}");
        if (mount.FileSystem.Root.Lookup(FileName, out var file) < 0 || file!.GetAttributes(out var status) < 0 || status.Size < _frame.Length)
            throw new InvalidOperationException("video server: no /video.raw of at least one frame on the disk");
        _file = file;
        _frameCount = status.Size / _frame.Length;
        _alarm = context.Import<IAlarms>().Create("video");
        context.Dispatcher.Install(_alarm.Fired, Tick);
        context.Dispatcher.Install(_udp.PacketArrived, Subscription, p => p.DestinationPort == VideoWire.ServerPort);
    }

    // SUBSCRIBE adds the sender (and starts the clock with the first one); UNSUBSCRIBE removes it.
    private bool Subscription(UdpPacket p)
    {
        var data = p.Packet.Data;
        int at = _subscribers.IndexOf((p.Source, p.SourcePort));
        if (data.SequenceEqual(VideoWire.Unsubscribe))
        {
            if (at >= 0) _subscribers.RemoveAt(at);
            return true;
        }
        if (!data.SequenceEqual(VideoWire.Subscribe) || at >= 0 || _subscribers.Count >= MaxSubscribers) return false;
        _subscribers.Add((p.Source, p.SourcePort));
        if (_alarm.Deadline < 0)
        {
            _next = 0;
            _alarm.Set(0);          // at once: the first tick sets the pace
        }
        return true;
    }

    // One tick: the frame due now goes to every subscriber; the alarm is set for the next one.
    private bool Tick(long now)
    {
        if (_subscribers.Count == 0) return true;    // the clock stops until someone subscribes again
        if (_next == 0) _next = now;
        long late = (now - _next) / PeriodNs;
        if (late > 0)
        {
            _frames += late;
            _next += late * PeriodNs;
        }
        Send(_frames % _frameCount);
        _frames++;
        _next += PeriodNs;
        _alarm.Set(_next);
        return true;
    }

    // Reads frame `index` and sends its packets to every subscriber; a packet the pool cannot lend is not sent.
    private void Send(long index)
    {
        long offset = index * _frame.Length;
        for (int got = 0; got < _frame.Length;)
        {
            long n = _file.Read(_frame.AsSpan(got), offset + got);
            if (n <= 0) return;
            got += (int)n;
        }
        int rowsPer = VideoWire.RowsPerPacket(Width), rowBytes = Width * 4;
        for (int row = 0; row < Height; row += rowsPer)
        {
            int rows = Math.Min(rowsPer, Height - row);
            foreach (var (address, port) in _subscribers)
            {
                if (!_pool.TryAllocate(EtherType.UdpHeadroom, out var packet)) continue;
                var body = packet.Append(VideoWire.HeaderBytes + rows * rowBytes);
                VideoWire.Write(body, (uint)index, Width, Height, row, rows);
                _frame.AsSpan(row * rowBytes, rows * rowBytes).CopyTo(body[VideoWire.HeaderBytes..]);
                _udp.Send(address, VideoWire.ServerPort, port, packet);
                _pool.Free(packet);
            }
        }
    }
}
