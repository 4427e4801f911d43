using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// The console as the file layer shares it between descriptors 0-2 of every process and /dev/tty,
/// /dev/console: reads never wait on the host; a read that finds nothing blocks its strand on
/// <see cref="Readers"/>, and every arrival of input wakes the readers and the pollers. A console that
/// cannot signal arrival (see <see cref="IConsole.WatchInput"/>) keeps its input always ready.
/// Used on the CPU's thread only.
/// </summary>
internal sealed class ConsoleLine(IConsole console, Func<string, IWaitQueue?> newQueue, Func<IWaitQueue?> pollers)
{
    private IWaitQueue? _readers;
    private bool _watching;

    /// <summary>The console itself (output, terminal queries).</summary>
    public IConsole Console => console;

    /// <summary>Reads input without waiting: the count, 0 at end of file, or -EAGAIN (wait on <see cref="Readers"/>).</summary>
    public long Read(Span<byte> buffer)
    {
        Watch();
        return console.TryRead(buffer);
    }

    /// <summary>True if a read would not answer -EAGAIN.</summary>
    public bool InputReady
    {
        get
        {
            Watch();
            return console.InputAvailable;
        }
    }

    /// <summary>Where reads that found no input wait; null if the personality has no wait queues.</summary>
    public IWaitQueue? Readers
    {
        get
        {
            Watch();
            return _readers ??= newQueue("console");
        }
    }

    // First use: asks the console to signal arrivals (before any read, so none is missed).
    private void Watch()
    {
        if (_watching) return;
        _watching = true;
        console.WatchInput(Arrived);
    }

    // CPU thread, input or end of file arrived: every reader and poller looks again.
    private void Arrived()
    {
        _readers?.WakeAll();
        pollers()?.WakeAll();
    }
}

/// <summary>One of the host's standard streams (0 in, 1 out, 2 error).</summary>
internal sealed class ConsoleFile(ConsoleLine line, int stream)
    : FileDescription(stream == 0 ? 0 : 1)
{
    public override long Read(Span<byte> buffer) => line.Read(buffer);
    public override long Write(ReadOnlySpan<byte> buffer) => line.Console.Write(stream, buffer);
    public override int Stat(out FileStatus status) => line.Console.Stat(stream, out status);
    public override long Seek(long offset, SeekWhence whence) => line.Console.Seek(stream, offset, whence);
    public override short Poll() => stream == 0 ? (line.InputReady ? FileAbi.POLLIN : (short)0) : FileAbi.POLLOUT;
    public override IWaitQueue? WaitQueue => stream == 0 ? line.Readers : null;
    public override byte[] LinkText() => "/dev/console"u8.ToArray();

    public override int TerminalControl(uint request, Span<byte> result) => request switch
    {
        LinuxAbi.TCGETS => line.Console.GetTerminalAttributes(stream, result),
        LinuxAbi.TIOCGWINSZ => line.Console.GetWindowSize(stream, result),
        _ => -Errno.ENOTTY,
    };
}

/// <summary>/dev/tty and /dev/console: the console, reading stream 0 and writing stream 1.</summary>
internal sealed class TerminalDevice(Sdk.Vfs.Vnode node, int flags, ConsoleLine line) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) => line.Read(buffer);
    public override long Write(ReadOnlySpan<byte> buffer) => line.Console.Write(1, buffer);
    public override long Seek(long offset, SeekWhence whence) => -Errno.ESPIPE;
    public override short Poll() => (short)((line.InputReady ? FileAbi.POLLIN : 0) | FileAbi.POLLOUT);
    public override IWaitQueue? WaitQueue => line.Readers;

    public override int TerminalControl(uint request, Span<byte> result) => request switch
    {
        LinuxAbi.TCGETS => line.Console.GetTerminalAttributes(0, result),
        LinuxAbi.TIOCGWINSZ => line.Console.GetWindowSize(1, result),
        _ => -Errno.ENOTTY,
    };
}
