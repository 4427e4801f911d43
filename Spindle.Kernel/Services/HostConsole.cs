using Spindle.Machine.Devices;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Services;

/// <summary>
/// The host's standard streams. Output to 1 and 2 goes through one buffer, so the two keep their
/// order; it is written out when full, when the other stream is written, before any read, and on
/// <see cref="Flush"/> (the kernel flushes at exit and on timer ticks). Input is a
/// <see cref="ConsoleInput"/>: once <see cref="Attach"/>ed to the machine's interrupt lines, stream 0 is
/// read by a background thread and reads never block the CPU; unattached, reads wait on the host's input.
/// It is the console device with the host-streams backend (<see cref="IConsoleDevice"/>) and, to the
/// personality, the <see cref="IConsole"/> its processes' standard streams are.
/// </summary>
public sealed unsafe class HostConsole : IConsole, IConsoleDevice
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ConsoleInput _input;
    private readonly bool _fileInput;
    private int _used;
    private int _stream = 1;

    /// <summary>
    /// A console on the host's streams whose input is <paramref name="input"/> (host stream 0 if null). When
    /// host stream 0 is a regular file it is read directly, with no reader ahead of the program, so that the
    /// program can seek it (a read of a file never waits long).
    /// </summary>
    public HostConsole(ConsoleInput? input = null)
    {
        _input = input ?? new ConsoleInput(ReadHostInput);
        _fileInput = input == null && StatxDecoder.StatDescriptor(0, out FileStatus st) == 0 && (st.Mode & FileStatus.TypeMask) == 0x8000;
    }

    /// <inheritdoc/>
    public string Name => "console";

    /// <inheritdoc/>
    public int InterruptLine => _input.Line;

    /// <summary>Makes console input interrupt-driven: claims the console's line on <paramref name="lines"/>. Call once, before the machine runs.</summary>
    public void Attach(InterruptLines lines) => _input.Connect(lines, Name);

    /// <inheritdoc/>
    public bool CanReceive => InputAvailable;

    /// <inheritdoc/>
    public long Receive(Span<byte> buffer) => TryRead(buffer);

    /// <inheritdoc/>
    public long Transmit(int stream, ReadOnlySpan<byte> buffer) => Write(stream, buffer);

    public long Read(Span<byte> buffer)
    {
        Flush();
        return _fileInput ? ReadHostInput(buffer) : _input.Read(buffer);
    }

    public long TryRead(Span<byte> buffer)
    {
        Flush();
        return _fileInput ? ReadHostInput(buffer) : _input.TryRead(buffer);
    }

    public bool InputAvailable
    {
        get
        {
            Flush();
            return _fileInput || _input.Available;
        }
    }

    public bool WatchInput(Action handler) => !_fileInput && _input.Watch(handler);

    // Input: only a file read directly seeks. Output: what is buffered goes out first, then the host seeks
    // (and answers -ESPIPE for a terminal or pipe).
    public long Seek(int stream, long offset, SeekWhence whence)
    {
        if (stream == 0) return _fileInput ? Libc.Seek(0, offset, (int)whence) : -Errno.ESPIPE;
        if (stream is not (1 or 2)) return -Errno.EBADF;
        int r = Flush(out _);
        return r < 0 ? r : Libc.Seek(stream, offset, (int)whence);
    }

    public long Write(int stream, ReadOnlySpan<byte> buffer)
    {
        if (stream is not (1 or 2)) return -Errno.EBADF;
        if (stream != _stream || buffer.Length > _buffer.Length - _used)
        {
            int r = Flush(out _);
            _stream = stream;
            if (r < 0) return r;
        }
        if (buffer.Length > _buffer.Length) return WriteAll(stream, buffer);
        buffer.CopyTo(_buffer.AsSpan(_used));
        _used += buffer.Length;
        return buffer.Length;
    }

    public bool IsTerminal(int stream) => stream is >= 0 and <= 2 && Libc.IsATty(stream);

    public int GetTerminalAttributes(int stream, Span<byte> termios) => TerminalIoctl(stream, Libc.TCGETS, termios, 36);

    public int GetWindowSize(int stream, Span<byte> winsize) => TerminalIoctl(stream, Libc.TIOCGWINSZ, winsize, 8);

    public int Stat(int stream, out FileStatus status)
    {
        status = default;
        return stream is >= 0 and <= 2 ? StatxDecoder.StatDescriptor(stream, out status) : -Errno.EBADF;
    }

    public void Flush() => Flush(out _);

    // Writes the buffer out; returns 0 or the -errno of a failed write (what was not written is dropped).
    private int Flush(out long written)
    {
        written = _used == 0 ? 0 : WriteAll(_stream, _buffer.AsSpan(0, _used));
        _used = 0;
        return written < 0 ? (int)written : 0;
    }

    // The input source of the host console: a blocking read of host stream 0.
    private static long ReadHostInput(Span<byte> buffer)
    {
        fixed (byte* b = buffer) return Libc.Read(0, b, (nuint)buffer.Length);
    }

    private static long WriteAll(int stream, ReadOnlySpan<byte> data)
    {
        int done = 0;
        fixed (byte* b = data)
            while (done < data.Length)
            {
                long n = Libc.Write(stream, b + done, (nuint)(data.Length - done));
                if (n <= 0) return done > 0 ? done : n;
                done += (int)n;
            }
        return done;
    }

    private static int TerminalIoctl(int stream, uint request, Span<byte> result, int size)
    {
        if (stream is < 0 or > 2) return -Errno.EBADF;
        if (result.Length < size) return -Errno.EINVAL;
        byte* tmp = stackalloc byte[64];
        int r = Libc.Ioctl(stream, request, tmp);
        if (r < 0) return r;
        new ReadOnlySpan<byte>(tmp, size).CopyTo(result);
        return 0;
    }
}
